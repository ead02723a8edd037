package dev.cairn.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bridge keeps the JDK exchange's contract on Jetty: a request is answered when its exchange is closed, from
 * whichever thread and however long after the handler returned, and the next request on the same connection waits
 * for it; the three body lengths of sendResponseHeaders; the raw path and query as sent; a handler that throws is a
 * 500.
 */
class JettyBridgeTest {
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private Server server;

    @AfterEach
    void stop() throws Exception {
        later.shutdownNow();
        if (server != null) {
            server.stop();
        }
    }

    private int serve(HttpHandler handler) throws Exception {
        return serve(handler, 30_000);
    }

    private int serve(HttpHandler handler, long idleTimeout) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(JettyBridge.configuration()));
        connector.setIdleTimeout(idleTimeout);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new JettyBridge(handler));
        server.start();
        return connector.getLocalPort();
    }

    /** Answers with the request's path, 50 ms after the handler returned, from another thread. */
    private HttpHandler answeredLater(List<String> returned) {
        return answeredLater(returned, 50);
    }

    /** Answers with the request's path, {@code millis} after the handler returned, from another thread. */
    private HttpHandler answeredLater(List<String> returned, long millis) {
        return exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            later.schedule(() -> {
                byte[] body = path.getBytes(StandardCharsets.UTF_8);
                try {
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    exchange.close();
                }
            }, millis, TimeUnit.MILLISECONDS);
            synchronized (returned) {
                returned.add(path);
            }
        };
    }

    @Test
    @Timeout(30)
    void anExchangeClosedLaterFromAnotherThreadAnswersOnAKeptAliveConnection() throws Exception {
        List<String> returned = new ArrayList<>();
        int port = serve(answeredLater(returned));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long started = System.nanoTime();
            // Both requests at once (pipelined): the second must wait for the first's answer, not overtake it.
            out.write(("GET /one HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /two HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Answer one = Answer.read(in);
            assertThat(System.nanoTime() - started).as("answered after the delay, not when the handler returned")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
            Answer two = Answer.read(in);
            assertThat(one.status).isEqualTo(200);
            assertThat(one.body).isEqualTo("/one");
            assertThat(two.status).isEqualTo(200);
            assertThat(two.body).isEqualTo("/two");
            // And a third after them, on the same connection still open.
            out.write("GET /three HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(Answer.read(in).body).isEqualTo("/three");
        }
        synchronized (returned) {
            assertThat(returned).containsExactly("/one", "/two", "/three");
        }
    }

    /** Jetty's idle timeout is for stalled reads and writes: an answer that takes longer is no stall. */
    @Test
    @Timeout(30)
    void anAnswerSlowerThanTheIdleTimeoutKeepsItsConnection() throws Exception {
        int port = serve(answeredLater(new ArrayList<>(), 1_000), 200);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (String path : new String[] {"/one", "/two"}) {
                out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Answer answer = Answer.read(in);
                assertThat(answer.status).isEqualTo(200);
                assertThat(answer.body).isEqualTo(path);
            }
        }
    }

    @Test
    @Timeout(30)
    void theThreeBodyLengthsTheRawUriAndAHandlerThatThrows() throws Exception {
        int port = serve(exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            switch (path) {
                case "/fixed" -> {
                    exchange.sendResponseHeaders(200, 5);
                    exchange.getResponseBody().write("hello".getBytes(StandardCharsets.UTF_8));
                    exchange.close();
                }
                case "/none" -> {
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                }
                case "/stream" -> {
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream body = exchange.getResponseBody();
                    for (int i = 0; i < 3; i++) {
                        body.write(("part " + i + "\n").getBytes(StandardCharsets.UTF_8));
                        body.flush();
                    }
                    exchange.close();
                }
                case "/echo" -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    String type = exchange.getRequestHeaders().getFirst("content-TYPE");
                    exchange.getResponseHeaders().set("X-Type", type);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                }
                case "/what", "/a%2Fb;p=1/%2e%2e/c%25" -> {
                    // What the front reads: the raw path and query, the two ends of the connection.
                    byte[] body = (exchange.getRequestURI().getRawPath() + " " + exchange.getRequestURI().getRawQuery()
                            + " " + exchange.getRemoteAddress().getAddress().getHostAddress() + " "
                            + exchange.getLocalAddress().getPort()).getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                }
                default -> throw new IllegalStateException("no such path");
            }
        });
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpResponse<String> fixed = http.send(HttpRequest.newBuilder(base.resolve("/fixed")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fixed.body()).isEqualTo("hello");
        assertThat(fixed.headers().firstValue("Content-Length")).hasValue("5");
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(base.resolve("/fixed"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).as("a HEAD whose handler writes the body anyway").isEqualTo(200);
        assertThat(head.body()).isEmpty();
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(base.resolve("/none")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(204);
        assertThat(none.body()).isEmpty();
        HttpResponse<String> stream = http.send(HttpRequest.newBuilder(base.resolve("/stream")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stream.body()).isEqualTo("part 0\npart 1\npart 2\n");
        assertThat(stream.headers().firstValue("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT)))
                .hasValue("chunked");
        HttpResponse<String> echo = http.send(HttpRequest.newBuilder(base.resolve("/echo"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(echo.body()).isEqualTo("{\"a\":1}");
        assertThat(echo.headers().firstValue("x-type")).hasValue("application/json");
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/a%2Fb;p=1/%2e%2e/c%25?x=%2F+y&z")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("/a%2Fb;p=1/%2e%2e/c%25 x=%2F+y&z 127.0.0.1 "
                        + port);
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/what")).build(), HttpResponse.BodyHandlers
                .ofString()).body()).isEqualTo("/what null 127.0.0.1 " + port);
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/other")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(500);
    }

    /** One HTTP/1.1 response with a Content-Length, read off a raw connection. */
    private record Answer(int status, String body) {
        static Answer read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection closed after " + head);
                }
                head.write(b);
            }
            String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
            int length = 0;
            for (String line : lines) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]),
                    new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
    }
}
