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
}
