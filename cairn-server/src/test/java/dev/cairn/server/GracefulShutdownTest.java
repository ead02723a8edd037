package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the server while a write is in flight: the write is held up by another process's lock on the SQLite file,
 * close() is called, the lock is let go, and the write must still be answered 200 and be in the store; a request
 * that arrives while the server drains is refused with 503 and Retry-After, and writes nothing.
 */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void aWriteInFlightFinishesAndIsKeptWhileNewRequestsAreRefused() throws Exception {
        Path file = dir.resolve("g.db");
        Cairn db = Cairn.open(file);
        CairnServer server = CairnServer.builder(db).port(0).closeStoreOnClose(true).start();
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"events\":[{\"type\":\"x.y\",\"payload\":{\"n\":1}}]}";
        CompletableFuture<HttpResponse<String>> inFlight;
        CompletableFuture<Void> closing;
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement lock = other.createStatement()) {
            lock.execute("BEGIN IMMEDIATE"); // another writer holds the file: the append waits in the busy handler
            inFlight = http.sendAsync(HttpRequest.newBuilder(server.uri().resolve("/v1/streams/s:1/events"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            assertThat(inFlight).as("the append waits for the lock").isNotDone();
            closing = CompletableFuture.runAsync(server::close);
            Thread.sleep(300);
            assertThat(closing).as("close() waits for the request in flight").isNotDone();
            HttpResponse<String> late = http.send(HttpRequest.newBuilder(server.uri()
                    .resolve("/v1/streams/s:2/events")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(late.statusCode()).isEqualTo(503);
            assertThat(late.headers().firstValue("Retry-After")).isPresent();
            assertThat(late.body()).contains("shutting_down");
            lock.execute("ROLLBACK");
        }
        HttpResponse<String> answered = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        closing.get(10, TimeUnit.SECONDS);
        try (Cairn reopened = Cairn.open(file)) {
            assertThat(reopened.events().streamVersion("s:1")).as("the acknowledged write").isEqualTo(0);
            assertThat(reopened.events().streamVersion("s:2")).as("the refused one").isEqualTo(-1);
        }
    }

    /** A client that keeps its connection open between requests holds up neither close() nor the store. */
    @Test
    void anIdleKeepAliveConnectionDoesNotHoldUpClose() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("k.db"))) {
            CairnServer server = CairnServer.builder(db).port(0).start();
            try (java.net.Socket idle = new java.net.Socket("127.0.0.1", server.port())) {
                idle.setSoTimeout(10_000);
                idle.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                byte[] answer = new byte[512];
                int read = idle.getInputStream().read(answer);
                assertThat(new String(answer, 0, read, java.nio.charset.StandardCharsets.US_ASCII))
                        .startsWith("HTTP/1.1 200");
                // The connection stays open, idle: close() must not wait for it.
                long started = System.nanoTime();
                server.close();
                assertThat(System.nanoTime() - started).as("close() with an idle keep-alive connection open")
                        .isLessThan(TimeUnit.SECONDS.toNanos(2));
                int end;
                do {
                    end = idle.getInputStream().read(answer);
                } while (end > 0);
                assertThat(end).as("the idle connection closed by the server").isEqualTo(-1);
            }
        }
    }
}
