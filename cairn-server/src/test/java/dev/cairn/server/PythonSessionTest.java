package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.Cairn;
import dev.cairn.events.LogPosition;
import dev.cairn.events.RecordedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Python client (standard library only) drives a whole agent session through the API: a goal with a 5-task graph,
 * two worker processes claiming and completing under leases, a budget checkpoint, a proof, and a third process
 * following the live tail across a forced reconnect during which more events are committed. The script checks what
 * it saw against the API; this test checks it once more against the store itself.
 */
class PythonSessionTest {
    @TempDir
    Path dir;

    static Stream<String> backends() {
        return TestStore.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aPythonAgentSessionSeesEveryEventOnceInOrder(String backend) throws Exception {
        Path script = dir.resolve("session.py");
        try (var in = PythonSessionTest.class.getResourceAsStream("/python/session.py")) {
            Files.copy(in, script);
        }
        Path work = Files.createDirectories(dir.resolve("work"));
        try (TestStore store = TestStore.create(backend, dir); Cairn db = store.open();
                CairnServer server = CairnServer.builder(db).port(0).keepAlive(Duration.ofMillis(500)).start()) {
            Process python = new ProcessBuilder("python3", script.toString(), "drive", server.uri().toString(),
                    work.toString()).redirectErrorStream(true).start();
            String output;
            boolean ended = python.waitFor(120, TimeUnit.SECONDS);
            output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ended) {
                python.descendants().forEach(ProcessHandle::destroyForcibly);
                python.destroyForcibly();
            }
            assertThat(ended).as("the session ended in time: %s", output).isTrue();
            assertThat(python.exitValue()).as("the session's checks: %s", output).isZero();

            String[] lines = output.strip().split("\n");
            JsonNode summary = ApiClient.JSON.readTree(lines[lines.length - 1]);
            LogPosition start = LogPosition.parse(summary.path("start").asText());
            List<String> inStore;
            try (Stream<RecordedEvent> events = db.events().replayFrom(start)) {
                inStore = events.map(event -> event.position().toString()).toList();
            }
            List<String> followed = followed(work.resolve("followed.jsonl"));
            assertThat(inStore).hasSizeGreaterThanOrEqualTo(20);
            assertThat(followed).as("what the follower saw, against the store").isEqualTo(inStore);
            assertThat(db.goals().tasks().byGoal("py-goal")).allSatisfy(task ->
                    assertThat(task.status().toString()).isEqualTo("done"));
        }
    }

    private static List<String> followed(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(line -> {
            try {
                return ApiClient.JSON.readTree(line).path("position").asText();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
