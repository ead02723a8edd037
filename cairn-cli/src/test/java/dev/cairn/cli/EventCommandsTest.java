package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.Cairn;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.orchestration.Orchestration;
import dev.cairn.events.orchestration.OrchestrationEvent;
import dev.cairn.events.orchestration.ProjectEvent;
import dev.cairn.events.orchestration.Role;
import dev.cairn.events.orchestration.ThreadEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EventCommandsTest {
    @TempDir
    Path dir;

    Path db;

    /** What one run of the command printed, and its exit code. */
    record Run(int code, String out, String err) {
        List<JsonNode> jsonLines() {
            return out.lines().map(line -> {
                try {
                    return JsonOutput.MAPPER.readTree(line);
                } catch (Exception e) {
                    throw new AssertionError("not a JSON line: " + line, e);
                }
            }).toList();
        }
    }

    static Run cairn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = CairnCommand.configure(CairnCommand.commandLine(new CairnCommand()), false);
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void seed() {
        db = dir.resolve("cli.db");
        try (Cairn cairn = Cairn.open(db)) {
            for (OrchestrationEvent event : List.of(
                    new ProjectEvent.Created("p1", "Cairn", null, null),
                    new ThreadEvent.Created("t1", "p1", "First thread", "gpt-5", "main", null),
                    new ThreadEvent.MessageSent("t1", "m1", null, Role.USER, "hello", false),
                    new ThreadEvent.MessageSent("t1", "m2", null, Role.ASSISTANT, "hi", true),
                    new ThreadEvent.MessageDeltaAppended("t1", "m2", " there"),
                    new ThreadEvent.Created("t2", "p2", "Other project", null, null, null))) {
                cairn.events().append(event.streamId(), ExpectedVersion.any(), Orchestration.data(event));
            }
        }
    }

    @Test
    void eventsPrintsJsonLinesWithFilters() {
        Run all = cairn("--db", db.toString(), "events", "--json");
        assertThat(all.code()).isZero();
        List<JsonNode> lines = all.jsonLines();
        assertThat(lines).hasSize(6);
        JsonNode first = lines.get(0);
        assertThat(first.fieldNames()).toIterable().containsExactly("position", "sequence", "eventId", "streamId",
                "streamVersion", "type", "schemaVersion", "payload", "metadata", "occurredAt", "recordedAt");
        assertThat(first.get("position").asText()).isEqualTo("1"); // on SQLite a position is its sequence
        assertThat(first.get("type").asText()).isEqualTo("project.created");
        assertThat(first.get("payload").get("title").asText()).isEqualTo("Cairn");

        assertThat(cairn("--db", db.toString(), "events", "--json", "--stream", "thread:t1", "--type",
                "thread.message-sent").jsonLines()).extracting(n -> n.get("sequence").asLong())
                .containsExactly(3L, 4L);
        assertThat(cairn("--db", db.toString(), "events", "--json", "--from", "4", "--limit", "1").jsonLines())
                .extracting(n -> n.get("sequence").asLong()).containsExactly(5L);
        Run bad = cairn("--db", db.toString(), "events", "--from", "four");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("'four' is not a log position");
        assertThat(cairn("--db", db.toString(), "events").out()).contains("thread:t1@0  thread.created");
    }

    @Test
    void exitCodesSayWhatWentWrong() {
        Run missing = cairn("--db", dir.resolve("none.db").toString(), "events", "--json");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.jsonLines().get(0).get("initialized").asBoolean()).isFalse();
        assertThat(cairn("--db", db.toString(), "events", "--stream", "no colon").code()).isEqualTo(2);
        assertThat(cairn("--db", db.toString(), "events", "--limit", "-1").code()).isEqualTo(2);
        Run unknown = cairn("--db", db.toString(), "thread", "t404");
        assertThat(unknown.code()).isEqualTo(3);
        assertThat(unknown.err()).contains("no thread or conversation t404");
        assertThat(cairn("--db", db.toString(), "threads", "--limit", "0").code()).isEqualTo(2);
    }

    @Test
    void threadsAndThreadShowTheProjections() {
        Run threads = cairn("--db", db.toString(), "threads", "--project", "p1", "--json");
        assertThat(threads.code()).isZero();
        JsonNode list = threads.jsonLines().get(0);
        assertThat(list.get("threads")).hasSize(1);
        assertThat(list.get("threads").get(0).get("messageCount").asLong()).isEqualTo(2);
        assertThat(list.get("more").asBoolean()).isFalse();
        assertThat(list.get("database").asText()).isEqualTo(db.toString());
        assertThat(list.get("threads").get(0).get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(cairn("--db", db.toString(), "threads").out()).contains("t1").contains("t2");

        Run thread = cairn("--db", db.toString(), "thread", "t1", "--json");
        JsonNode transcript = thread.jsonLines().get(0);
        assertThat(transcript.get("messages")).extracting(m -> m.get("text").asText())
                .containsExactly("hello", "hi there");
        assertThat(transcript.has("turns")).isTrue();
        assertThat(transcript.has("pendingApprovals")).isTrue();
        assertThat(transcript.get("database").asText()).isEqualTo(db.toString());
        assertThat(cairn("--db", db.toString(), "thread", "t1").out()).contains("user: hello")
                .contains("assistant (streaming…): hi there");
    }

    @Test
    void projectionsStatusAndRebuild() {
        Run status = cairn("--db", db.toString(), "projections", "status", "--json");
        assertThat(status.code()).isZero();
        JsonNode projector = status.jsonLines().get(0).get("projectors").get(0);
        assertThat(projector.get("projector").asText()).isEqualTo("orchestration");
        assertThat(projector.get("lastAppliedPosition").asText()).isEqualTo("6");
        assertThat(projector.get("headPosition").asText()).isEqualTo("6");
        assertThat(projector.get("caughtUp").asBoolean()).isTrue();
        assertThat(status.jsonLines().get(0).get("database").asText()).isEqualTo(db.toString());

        Run rebuild = cairn("--db", db.toString(), "projections", "rebuild", "--json");
        assertThat(rebuild.code()).isZero();
        assertThat(rebuild.jsonLines().get(0).get("replayed").asLong()).isEqualTo(6);
        assertThat(cairn("--db", db.toString(), "thread", "t1").out()).contains("hi there");
    }

    @Test
    void followPrintsWhatAnotherProcessAppendsAfterItStarted() throws Exception {
        try (Cairn cairn = Cairn.open(db)) {
            for (int i = 0; i < 3; i++) {
                cairn.events().append("remote:1", ExpectedVersion.any(),
                        dev.cairn.events.EventData.of("local.appended", "{\"i\":" + (100 + i) + "}"));
            }
        }
        LineSink sink = new LineSink();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> follow = executor.submit(() -> {
                CommandLine line = CairnCommand.configure(CairnCommand.commandLine(new CairnCommand()), false);
                line.setOut(new PrintWriter(sink, true));
                line.setErr(new PrintWriter(new StringWriter(), true));
                return line.execute("--db", db.toString(), "events", "--follow", "--json", "--stream", "remote:1",
                        "--limit", "28");
            });
            // Only once follow has printed what was there before it started does the other process append.
            assertThat(sink.awaitLines(3, 1, TimeUnit.MINUTES)).as("follow printed the first events").isTrue();
            assertThat(follow.isDone()).as("follow still running after the existing events").isFalse();
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process writer = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"),
                    AppendMain.class.getName(), db.toString(), "remote:1", "25").inheritIO().start();
            assertThat(writer.waitFor()).isZero();
            assertThat(follow.get(2, TimeUnit.MINUTES)).isZero();
            Run run = new Run(0, sink.text(), "");
            java.util.List<Integer> expected = new java.util.ArrayList<>(List.of(100, 101, 102));
            java.util.stream.IntStream.range(0, 25).forEach(expected::add);
            assertThat(run.jsonLines()).extracting(n -> n.get("payload").get("i").asInt())
                    .containsExactlyElementsOf(expected);
        } finally {
            executor.shutdownNow();
        }
    }

    /** What a running command prints, line by line, for a test that waits for a line before it acts. */
    private static final class LineSink extends java.io.Writer {
        private final StringBuilder text = new StringBuilder();
        private int lines;

        @Override
        public synchronized void write(char[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                text.append(buffer[i]);
                if (buffer[i] == '\n') {
                    lines++;
                    notifyAll();
                }
            }
        }

        synchronized boolean awaitLines(int count, long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (lines < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        synchronized String text() {
            return text.toString();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
