package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.LogPosition;
import dev.cairn.events.RecordedEvent;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live tail from Java: ids are positions, Last-Event-ID resumes right after the event it names (over the
 * {@code after} parameter), a malformed position is a 400, and closing the server ends the tails it serves.
 */
class EventTailTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void lastEventIdResumesAfterItAndCloseEndsTheTail() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("t.db"))) {
            CairnServer server = CairnServer.builder(db).port(0).start();
            List<RecordedEvent> stored = db.events().append("s:1", ExpectedVersion.noStream(),
                    EventData.of("a.b", "{\"n\":1}"), EventData.of("a.b", "{\"n\":2}"),
                    EventData.of("a.b", "{\"n\":3}"));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<InputStream> first = http.send(HttpRequest.newBuilder(server.uri()
                    .resolve("/v1/events/stream?after=" + LogPosition.START)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/event-stream"));
            BufferedReader lines = new BufferedReader(new InputStreamReader(first.body(), StandardCharsets.UTF_8));
            assertThat(ids(lines, 3)).containsExactly(stored.get(0).position().toString(),
                    stored.get(1).position().toString(), stored.get(2).position().toString());

            HttpResponse<InputStream> resumed = http.send(HttpRequest.newBuilder(server.uri()
                    .resolve("/v1/events/stream?after=" + LogPosition.START))
                    .header("Last-Event-ID", stored.get(1).position().toString()).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader again = new BufferedReader(new InputStreamReader(resumed.body(), StandardCharsets.UTF_8));
            RecordedEvent later = db.events().append("s:1", ExpectedVersion.exact(2), EventData.of("a.b", "{}"))
                    .get(0);
            assertThat(ids(again, 2)).containsExactly(stored.get(2).position().toString(),
                    later.position().toString());

            assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("/v1/events/stream?after=1:x"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            closing.get(10, TimeUnit.SECONDS);
            // Both tails ended (else reading on would not return): the first after the later event, sent to it too.
            assertThat(rest(lines)).hasSize(2).first().isEqualTo("id: " + later.position());
            assertThat(rest(again)).isEmpty();
        }
    }

    /** The ids of the next {@code count} events, checking each data line is the event of that id. */
    private static List<String> ids(BufferedReader lines, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        String id = null;
        for (String line = lines.readLine(); line != null && ids.size() < count; line = lines.readLine()) {
            if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.startsWith("data: ")) {
                assertThat(ApiClient.JSON.readTree(line.substring(6)).path("position").asText()).isEqualTo(id);
                ids.add(id);
            }
        }
        return ids;
    }

    /** What the stream still sends until it ends, comments and blank lines left out. */
    private static List<String> rest(BufferedReader lines) throws Exception {
        List<String> rest = new ArrayList<>();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (!line.isEmpty() && !line.startsWith(":")) {
                rest.add(line);
            }
        }
        return rest;
    }
    /**
     * Tails hold a pool thread each: past half the pool a new one is refused 503 with Retry-After, so the other half
     * keeps answering ordinary requests; a tail that ends frees its place.
     */
    @Test
    @Timeout(60)
    void tailsBeyondHalfThePoolAreRefusedSoOtherRequestsStillRun() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("t.db"));
                CairnServer server = CairnServer.builder(db).port(0).maxThreads(4).start()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest tail = HttpRequest.newBuilder(server.uri().resolve("/v1/events/stream")).build();
            List<HttpResponse<InputStream>> open = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                open.add(http.send(tail, HttpResponse.BodyHandlers.ofInputStream()));
                assertThat(open.get(i).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> third = http.send(tail, HttpResponse.BodyHandlers.ofString());
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            assertThat(third.body()).contains("\"busy\"");
            for (int i = 0; i < 3; i++) {
                assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
            open.get(0).body().close();
            // The server notices the client left at its next write: an event wakes the tail.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int status;
            do {
                db.events().append("s:1", ExpectedVersion.any(), EventData.of("a.b", "{}"));
                HttpResponse<InputStream> again = http.send(tail, HttpResponse.BodyHandlers.ofInputStream());
                status = again.statusCode();
                again.body().close();
            } while (status != 200 && System.nanoTime() < deadline);
            assertThat(status).as("a place freed by a tail that ended").isEqualTo(200);
        }
    }

    /** A resume position past the head (an id from another store) would silently skip events: refused. */
    @Test
    @Timeout(60)
    void aPositionPastTheHeadIsRefused() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("t.db"));
                CairnServer server = CairnServer.builder(db).port(0).start()) {
            db.events().append("s:1", ExpectedVersion.noStream(), EventData.of("a.b", "{}"));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ahead = http.send(HttpRequest.newBuilder(server.uri().resolve("/v1/events/stream"))
                    .header("Last-Event-ID", "999").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ahead.statusCode()).isEqualTo(400);
            assertThat(ahead.body()).contains("\"malformed\"").contains("999");
            HttpResponse<InputStream> atHead = http.send(HttpRequest.newBuilder(server.uri()
                    .resolve("/v1/events/stream?after=" + db.events().lastPosition())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(atHead.statusCode()).isEqualTo(200);
            atHead.body().close();
        }
    }
}
