package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that stalls holds a server thread no longer than the stall timeout, while a live tail that waits longer
 * than it for the next event stays open: waiting is not stalling.
 */
class SlowClientTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void clientsThatStallInTheirBodyLoseTheirThreads() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("t.db"));
                CairnServer server = CairnServer.builder(db).port(0).maxThreads(4)
                        .stallTimeout(Duration.ofMillis(500)).start()) {
            List<Socket> stalled = new ArrayList<>();
            try {
                // As many as the server has threads, each promising a body it never finishes.
                for (int i = 0; i < 4; i++) {
                    Socket socket = new Socket("127.0.0.1", server.port());
                    socket.setSoTimeout(20_000);
                    socket.getOutputStream().write(("POST /v1/streams/s:" + i + "/events HTTP/1.1\r\nHost: 127.0.0.1:"
                            + server.port() + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                            + "{\"events\":").getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    stalled.add(socket);
                }
                long started = System.nanoTime();
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri()
                        .resolve("/health")).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                for (Socket socket : stalled) {
                    // The connection ends (whatever the server could still say on it): read to its end.
                    InputStream in = socket.getInputStream();
                    assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                            .doesNotStartWith("HTTP/1.1 200");
                }
                assertThat(System.nanoTime() - started).as("all ended within a few stall timeouts")
                        .isLessThan(Duration.ofSeconds(10).toNanos());
                assertThat(db.events().lastPosition()).as("nothing written").isEqualTo(
                        dev.cairn.events.LogPosition.START);
            } finally {
                for (Socket socket : stalled) {
                    socket.close();
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void aLiveTailWaitsLongerThanTheStallTimeout() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("t.db"));
                CairnServer server = CairnServer.builder(db).port(0).stallTimeout(Duration.ofMillis(300))
                        .keepAlive(Duration.ofSeconds(20)).start()) {
            HttpResponse<InputStream> tail = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri()
                    .resolve("/v1/events/stream")).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(tail.statusCode()).isEqualTo(200);
            BufferedReader lines = new BufferedReader(new InputStreamReader(tail.body(), StandardCharsets.UTF_8));
            // Silent for five stall timeouts (no event, no keep-alive comment yet), then an event.
            Thread.sleep(1_500);
            String position = db.events().append("s:1", ExpectedVersion.noStream(), EventData.of("a.b", "{}"))
                    .get(0).position().toString();
            String line = lines.readLine();
            while (line != null && !line.startsWith("id: ")) {
                line = lines.readLine();
            }
            assertThat(line).as("the event, on the tail still open").isEqualTo("id: " + position);
            tail.body().close();
        }
    }
}
