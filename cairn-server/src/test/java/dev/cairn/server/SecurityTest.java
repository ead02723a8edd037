package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loopback by default, a token anywhere else, a wrong token refused before anything is written, bounded bodies. */
class SecurityTest {
    private static final String TOKEN = "s3cr3t-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void aNonLoopbackBindWithoutATokenRefusesToStart() {
        try (Cairn db = Cairn.open(dir.resolve("c.db"))) {
            assertThatThrownBy(() -> CairnServer.builder(db).bind("0.0.0.0").port(0).start())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("0.0.0.0")
                    .hasMessageContaining("token");
            // With a token it starts (and so the refusal above was about the token, not the address).
            try (CairnServer server = CairnServer.builder(db).bind("0.0.0.0").port(0).token(TOKEN).start()) {
                assertThat(server.port()).isPositive();
                // A port taken: the refusal says why (Jetty keeps the reason in its exception's cause).
                assertThatThrownBy(() -> CairnServer.builder(db).port(server.port()).start())
                        .isInstanceOf(java.io.UncheckedIOException.class)
                        .hasMessageContaining("cannot listen on 127.0.0.1:" + server.port())
                        .hasMessageContaining("in use");
            }
        }
    }

    @Test
    void aWrongTokenGets401AndWritesNothing() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("c.db"));
                CairnServer server = CairnServer.builder(db).port(0).token(TOKEN).start()) {
            String append = "{\"events\":[{\"type\":\"x.y\",\"payload\":{\"a\":1}}]}";
            HttpClient http = HttpClient.newHttpClient();
            for (String header : new String[] {"Bearer wrong-token-0123456789abcdef", "Bearer " + TOKEN + "x",
                "Basic " + TOKEN, null}) {
                HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve("/v1/streams/s:1/events"))
                        .POST(HttpRequest.BodyPublishers.ofString(append));
                if (header != null) {
                    request.header("Authorization", header);
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(String.valueOf(header)).isEqualTo(401);
                assertThat(response.body()).contains("\"unauthorized\"").doesNotContain(TOKEN);
            }
            assertThat(db.events().streamVersion("s:1")).as("nothing written").isEqualTo(-1);
            // The positive control: the right token writes.
            ApiClient api = new ApiClient(server.uri(), TOKEN);
            assertThat(api.postRaw("/v1/streams/s:1/events", append).status()).isEqualTo(200);
            assertThat(db.events().streamVersion("s:1")).isEqualTo(0);
            assertThat(api.openApi.path("components").path("securitySchemes").has("bearer")).isTrue();
            // Health answers without a token (for load balancers), and says nothing secret.
            assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void bodiesOverTheLimitAre413AndNoCorsHeadersUnlessAsked() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("c.db"));
                CairnServer server = CairnServer.builder(db).port(0).maxBodyBytes(4096).start()) {
            HttpClient http = HttpClient.newHttpClient();
            String big = "{\"events\":[{\"type\":\"x.y\",\"payload\":{\"a\":\"" + "x".repeat(5000) + "\"}}]}";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.uri()
                    .resolve("/v1/streams/s:1/events")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(big)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(db.events().streamVersion("s:1")).isEqualTo(-1);
            // Without a Content-Length (chunked), the limit is found by reading one byte past it.
            HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(server.uri()
                    .resolve("/v1/streams/s:1/events")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                            big.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(chunked.statusCode()).isEqualTo(413);
            assertThat(db.events().streamVersion("s:1")).isEqualTo(-1);
            String small = "{\"events\":[{\"type\":\"x.y\",\"payload\":{}}]}";
            assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("/v1/streams/s:1/events"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                            small.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("a chunked body under the limit")
                    .isEqualTo(200);
            assertThat(db.events().streamVersion("s:1")).isZero();
            HttpResponse<String> cross = http.send(HttpRequest.newBuilder(server.uri().resolve("/v1/events/head"))
                    .header("Origin", "http://evil.example").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(cross.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
        try (Cairn db = Cairn.open(dir.resolve("c.db"));
                CairnServer server = CairnServer.builder(db).port(0).corsOrigin("http://localhost:3000").start()) {
            HttpResponse<String> cross = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    server.uri().resolve("/v1/events/head")).header("Origin", "http://localhost:3000").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(cross.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:3000");
        }
    }

    /**
     * A web page can send a "simple" cross-origin POST (text/plain, no preflight) to a token-less loopback server, or
     * reach it under its own name through DNS rebinding: neither may write.
     */
    @Test
    void crossSiteAndRebindingRequestsAreRefusedAndWriteNothing() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("c.db"));
                CairnServer server = CairnServer.builder(db).port(0).corsOrigin("http://localhost:3000").start()) {
            String goal = "{\"events\":[{\"type\":\"x.y\",\"payload\":{\"a\":1}}]}";
            String append = "/v1/streams/s:1/events";
            int port = server.port();
            assertThat(raw(port, "POST", append, "127.0.0.1:" + port, "text/plain", null, goal))
                    .startsWith("HTTP/1.1 415").contains("unsupported_media_type");
            assertThat(raw(port, "POST", append, "127.0.0.1:" + port, null, null, goal))
                    .startsWith("HTTP/1.1 415");
            assertThat(raw(port, "POST", append, "127.0.0.1:" + port, "application/json",
                    "http://evil.example", goal)).startsWith("HTTP/1.1 403").contains("forbidden");
            assertThat(raw(port, "POST", append, "evil.example:" + port, "application/json", null, goal))
                    .startsWith("HTTP/1.1 403").contains("forbidden");
            assertThat(raw(port, "GET", "/v1/events/head", "evil.example:" + port, null, null, null))
                    .startsWith("HTTP/1.1 403");
            assertThat(raw(port, "GET", "/", "evil.example:" + port, null, null, null)).startsWith("HTTP/1.1 403");
            assertThat(db.events().streamVersion("s:1")).as("nothing written").isEqualTo(-1);
            // The positive controls: JSON from the server's own names, its own origin, or the configured one.
            for (String[] ok : new String[][] {{"127.0.0.1:" + port, null}, {"localhost:" + port,
                "http://localhost:" + port}, {"127.0.0.1:" + port, "http://localhost:3000"}}) {
                assertThat(raw(port, "GET", "/v1/events/head", ok[0], null, ok[1], null)).as(ok[0] + " " + ok[1])
                        .startsWith("HTTP/1.1 200");
            }
            assertThat(raw(port, "POST", append, "localhost:" + port, "application/json; charset=utf-8",
                    "http://localhost:" + port, goal)).startsWith("HTTP/1.1 200");
        }
    }

    /** One request over a plain socket, so that Host can be anything; answers the whole response text. */
    static String raw(int port, String method, String path, String host, String type, String origin, String body)
            throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            byte[] bytes = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n");
            if (type != null) {
                head.append("Content-Type: ").append(type).append("\r\n");
            }
            if (origin != null) {
                head.append("Origin: ").append(origin).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(bytes.length).append("\r\n");
            }
            socket.getOutputStream().write((head + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
