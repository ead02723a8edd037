package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.events.RecordedEvent;
import dev.cairn.goals.GoalSpec;
import dev.cairn.goals.Task;
import dev.cairn.goals.TaskSpec;
import dev.cairn.goals.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The durability claims, proven by killing real processes (SIGKILL: {@code destroyForcibly} on Linux) in the middle of
 * their work: every write a child was told had committed is there after the crash, nothing is half-written, and the
 * store opens and passes its checks. The child ({@link CrashMain}) reports each acknowledged write; the parent kills it
 * after a random number of them plus a random few milliseconds, so the kill lands inside the work, never in JVM
 * start-up.
 *
 * <p>{@code -Dcairn.crash.trials=N} sets the kills per scenario (default 2) for long runs.
 */
abstract class CrashContract {
    static final int TRIALS = Integer.getInteger("cairn.crash.trials", 2);
    /** Tasks per goal: more than a child claims before its kill (a claim reads the goal's whole graph). */
    private static final int TASKS = 40;

    /** A store of its own for one test, reused by all its trials (so recovery is exercised again and again). */
    abstract String store() throws Exception;

    @Test
    void appendsAcknowledgedBeforeAKillAreAllThereAndStreamsHaveNoGaps() throws Exception {
        String db = store();
        Map<Long, Ack> acked = new java.util.HashMap<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            List<String> lines = killInside(new Child(CrashMain.class, "append", db, "crash:single"), 20);
            for (String line : acks(lines)) {
                String[] part = line.split(" ");
                acked.put(Long.parseLong(part[2]), new Ack(Long.parseLong(part[0]), part[1]));
            }
            try (Cairn cairn = Cairn.open(db)) {
                List<RecordedEvent> stream = cairn.events().readStream("crash:single", 0).toList();
                assertThat(stream).extracting(RecordedEvent::streamVersion)
                        .as("versions of the stream after kill %d", trial)
                        .containsExactlyElementsOf(LongStream.range(0, stream.size()).boxed().toList());
                // At most the one append in flight at the kill committed without its acknowledgement being read.
                List<Long> unacknowledged = stream.stream().map(RecordedEvent::streamVersion)
                        .filter(v -> !acked.containsKey(v)).toList();
                assertThat(stream.size()).as("events stored after kill %d (unacknowledged versions %s); the child "
                        + "said:%n%s", trial, unacknowledged, String.join("\n", lines))
                        .isBetween(acked.size(), acked.size() + trial + 1);
                acked.forEach((version, ack) -> {
                    RecordedEvent stored = stream.get((int) (long) version);
                    assertThat(new Ack(stored.sequence(), stored.eventId().toString()))
                            .as("acknowledged version %d", version).isEqualTo(ack);
                });
            }
            assertDoctorOk(db);
        }
        assertThat(acked).as("acknowledged appends").isNotEmpty();
    }

    private record Ack(long sequence, String eventId) {}

    @Test
    void batchesAreAllOrNothingAndAcknowledgedOnesSurviveAKill() throws Exception {
        String db = store();
        int size = 30;
        Set<String> acked = new HashSet<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            List<String> lines = killInside(new Child(CrashMain.class, "batch", db, String.valueOf(size),
                    "t" + trial), 10);
            acks(lines).forEach(acked::add);
            try (Cairn cairn = Cairn.open(db)) {
                Map<String, Long> eventsPerBatch = cairn.events().replayAll()
                        .filter(e -> e.type().equals("crash.batched"))
                        .collect(Collectors.groupingBy(e -> e.payloadTree().get("batch").asText(),
                                Collectors.counting()));
                assertThat(eventsPerBatch.values()).as("events of each batch present").allMatch(n -> n == size);
                assertThat(eventsPerBatch.keySet()).containsAll(acked);
                assertThat(eventsPerBatch.size()).isBetween(acked.size(), acked.size() + trial + 1);
                for (int s = 0; s < 3; s++) {
                    List<Long> versions = cairn.events().readStream("batch:" + s, 0)
                            .map(RecordedEvent::streamVersion).toList();
                    assertThat(versions).containsExactlyElementsOf(
                            LongStream.range(0, versions.size()).boxed().toList());
                }
            }
            assertDoctorOk(db);
        }
        assertThat(acked).as("acknowledged batches").isNotEmpty();
    }

    @Test
    void taskClaimsAcknowledgedBeforeAKillAreHeldAndNoneIsHalfDone() throws Exception {
        String db = store();
        int claimedTotal = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            String goal = "g" + trial;
            try (Cairn cairn = Cairn.open(db)) {
                cairn.goals().create(GoalSpec.of(goal, "crash", "/tmp"));
                cairn.goals().tasks().createBatch(goal, IntStream.range(0, TASKS)
                        .mapToObj(i -> TaskSpec.of(goal, "t" + i, "task " + i)).toList());
            }
            String owner = "worker-" + trial;
            List<String> acked = acks(killInside(new Child(CrashMain.class, "claim", db, goal, owner), 10));
            claimedTotal += acked.size();
            try (Cairn cairn = Cairn.open(db)) {
                List<Task> running = cairn.goals().tasks().byGoal(goal).stream()
                        .filter(t -> t.status() == TaskStatus.RUNNING).toList();
                assertThat(running).allMatch(t -> owner.equals(t.owner()));
                assertThat(running).extracting(Task::id).containsAll(acked);
                assertThat(running.size()).isBetween(acked.size(), acked.size() + 1);
                List<RecordedEvent> history = cairn.events().readStream("goal:" + goal, 0).toList();
                assertThat(history).extracting(RecordedEvent::streamVersion)
                        .containsExactlyElementsOf(LongStream.range(0, history.size()).boxed().toList());
                assertThat(history.stream().filter(e -> e.type().equals("goal.task-claimed")).count())
                        .as("a claim event for each running task").isEqualTo(running.size());
                // The store goes on: the rest are handed out, each once, none of those already running.
                Set<String> rest = new HashSet<>();
                Optional<Task> next;
                while ((next = CrashMain.claim(cairn, goal, "parent")).isPresent()) {
                    assertThat(rest.add(next.get().id())).isTrue();
                }
                assertThat(rest).doesNotContainAnyElementsOf(running.stream().map(Task::id).toList());
                assertThat(rest.size() + running.size()).isEqualTo(TASKS);
            }
            assertDoctorOk(db);
        }
        assertThat(claimedTotal).as("acknowledged claims").isPositive();
    }

    static void assertDoctorOk(String location) {
        var report = Cairn.doctor(location);
        assertThat(report.ok()).as("doctor after the kill: %s", report.checks()).isTrue();
    }

    /** Ends every acknowledgement line, so that a line a kill cut short is not taken for one. */
    static final String ACK_END = " .";

    /** The whole acknowledgement lines, without their "ack " and end mark. */
    static List<String> acks(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("ack ") && l.endsWith(ACK_END))
                .map(l -> l.substring(4, l.length() - ACK_END.length())).toList();
    }

    /**
     * Waits for between 1 and {@code maxAcks} acknowledgements, lets a random few milliseconds pass, kills the child
     * and returns every line it reported.
     */
    static List<String> killInside(Child child, int maxAcks) throws Exception {
        try (child) {
            child.await(l -> l.startsWith("ack "), ThreadLocalRandom.current().nextInt(1, maxAcks + 1));
            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 8));
            return child.kill();
        }
    }

    /**
     * A child JVM whose output is read as it comes by a thread of its own, so the child never blocks on a full pipe
     * and the parent sees every line it flushed before it died.
     */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;
        /** Where the child records its acknowledgements: unlike the pipe, a file keeps every line written before the kill. */
        private final Path acks;

        Child(Class<?> main, String... args) throws IOException {
            acks = Files.createTempFile("cairn-crash-", ".acks");
            process = Jvm.start(List.of("-Dcairn.crash.acks=" + acks), main, args);
            reader = Jvm.collectLines(process, lines);
        }

        /** Waits until {@code count} lines match; fails with the child's output if it exits first or takes a minute. */
        void await(java.util.function.Predicate<String> match, int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            synchronized (lines) {
                while (lines.stream().filter(match).count() < count) {
                    if (!process.isAlive() && !reader.isAlive() || System.nanoTime() > deadline) {
                        throw new AssertionError("the child stopped before its work was under way:\n"
                                + String.join("\n", lines));
                    }
                    lines.wait(50);
                }
            }
        }

        /** SIGKILL: no shutdown hook, no finally block, no close runs in the child. */
        List<String> kill() throws InterruptedException, IOException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the child died").isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(30));
            List<String> all = new ArrayList<>();
            synchronized (lines) {
                lines.stream().filter(l -> !l.startsWith("ack ")).forEach(all::add);
            }
            all.addAll(Files.readAllLines(acks, StandardCharsets.UTF_8));
            return all;
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            Files.deleteIfExists(acks);
        }
    }
}
