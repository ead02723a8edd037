package dev.cairn.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.Jvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable runs across real processes killed with SIGKILL: a body runs at least once and its recorded outcome is
 * written exactly once (only the step in flight at the kill may run twice), and one run has one live owner.
 */
class DurableRunProcessTest {
    /** Kills of the crash test; {@code -Dcairn.durable.trials=500} for a longer search. */
    int trials() {
        return Integer.getInteger("cairn.durable.trials", 50);
    }

    @TempDir
    Path dir;

    String location() {
        return dir.resolve("durable.db").toString();
    }

    /** A child JVM whose output lines are collected as they come. */
    static final class Child implements AutoCloseable {
        final Process process;
        final List<String> lines = new ArrayList<>();

        Child(String... args) throws IOException {
            // A child lives a second: the quickest start (no optimising compiler, the serial collector) is what counts.
            process = Jvm.start(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"),
                    DurableRunMain.class, args);
            Jvm.collectLines(process, lines);
        }

        /** Waits for a line starting with {@code prefix}; fails with the output if the child ends or a minute passes. */
        String await(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            synchronized (lines) {
                while (true) {
                    for (String line : lines) {
                        if (line.startsWith(prefix)) {
                            return line;
                        }
                    }
                    if (!process.isAlive() && process.exitValue() != 0 || System.nanoTime() > deadline) {
                        throw new AssertionError("no '" + prefix + "' from the child:\n" + String.join("\n", lines));
                    }
                    lines.wait(20);
                }
            }
        }

        boolean printed(String prefix) {
            synchronized (lines) {
                return lines.stream().anyMatch(l -> l.startsWith(prefix));
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no finally block, no close, no shutdown hook runs
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    static Map<String, Long> count(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Map.of();
        }
        return Files.readAllLines(file).stream().collect(Collectors.groupingBy(Function.identity(),
                Collectors.counting()));
    }

    @Test
    void aRunKilledAnywhereResumesToItsEndAndOnlyTheStepInFlightRunsTwice() throws Exception {
        int trials = trials();
        int killedMidRun = 0;
        int ranTwice = 0;
        int finishedBeforeKill = 0;
        try (Cairn db = DurableRunMain.open(location())) {
            for (int trial = 0; trial < trials; trial++) {
                String key = "crash-" + trial;
                Path work = Files.createDirectories(dir.resolve(key));
                try (Child child = new Child("crash", location(), key, work.toString())) {
                    // Spread the kills over the whole run: after a random number of finished steps (a cold JVM's
                    // first step takes longer than the rest), then a few milliseconds into the next one.
                    int after = ThreadLocalRandom.current().nextInt(0, DurableRunMain.STEPS);
                    child.await(after == 0 ? "started" : "finished " + after);
                    Thread.sleep(ThreadLocalRandom.current().nextInt(0, 10));
                    child.kill();
                }
                String runId = db.runs().find(db.runs().recent(1).get(0).id()).orElseThrow().id();
                List<Step> atKill = db.runs().steps(runId);
                long finishedAtKill = atKill.stream().filter(s -> s.status() == StepStatus.SUCCESS).count();
                if (finishedAtKill > 0 && finishedAtKill < DurableRunMain.STEPS) {
                    killedMidRun++; // steps finished before the kill, and steps left to run after it
                }
                // A kill a few milliseconds after the last step but one may land after the run has finished: a
                // finished run is not resumed (beginOrResume refuses it), and every step in it ran once.
                if (db.runs().get(runId).status() == RunStatus.SUCCESS) {
                    finishedBeforeKill++;
                } else {
                    RunScope resumed = resumeOnceStale(db, key);
                    assertThat(resumed.id()).isEqualTo(runId);
                    DurableRunMain.agent(resumed, work, 0, n -> { });
                    resumed.close();
                }

                List<Step> steps = db.runs().steps(runId);
                assertThat(steps).hasSize(DurableRunMain.STEPS);
                Map<String, Long> effects = count(work.resolve("effects"));
                Map<String, Long> calls = count(work.resolve("calls"));
                for (Step step : steps) {
                    int n = step.position();
                    assertThat(step.name()).isEqualTo("step-" + n);
                    assertThat(step.status()).isEqualTo(StepStatus.SUCCESS);
                    assertThat(step.result().orElseThrow().asText()).isEqualTo("result " + n + " response " + n);
                    long bodies = effects.getOrDefault("step " + n, 0L);
                    long callBodies = calls.getOrDefault("call " + n, 0L);
                    if (n <= finishedAtKill) {
                        assertThat(bodies).as("trial %d: step %d had finished before the kill", trial, n).isEqualTo(1);
                        assertThat(callBodies).as("trial %d: call of step %d", trial, n).isEqualTo(1);
                    } else if (n == finishedAtKill + 1) {
                        assertThat(bodies).as("trial %d: step %d was in flight", trial, n).isBetween(1L, 2L);
                        assertThat(callBodies).as("trial %d: call of step %d", trial, n).isBetween(1L, 2L);
                        ranTwice += bodies == 2 ? 1 : 0;
                    } else {
                        assertThat(bodies).as("trial %d: step %d began after the kill", trial, n).isEqualTo(1);
                        assertThat(callBodies).as("trial %d: call of step %d", trial, n).isEqualTo(1);
                    }
                    // A kill between the step's start and its body's side effect counts an attempt with no effect.
                    assertThat(step.attempts()).as("trial %d: attempts of step %d", trial, n)
                            .isBetween((int) bodies, n == finishedAtKill + 1 ? 2 : 1);
                }
                assertThat(db.runs().calls(runId)).hasSize(DurableRunMain.STEPS)
                        .extracting(RecordedCall::stepPosition).doesNotHaveDuplicates();
                assertThat(db.runs().get(runId).status()).isEqualTo(RunStatus.SUCCESS);
            }
        }
        assertThat(killedMidRun).as("kills with finished steps before them and unfinished ones after")
                .isGreaterThan(trials / 2);
        System.out.println("durable crash test: " + trials + " kills, " + killedMidRun + " mid-run, " + ranTwice
                + " with the step in flight run twice, " + finishedBeforeKill + " after the run had finished");
    }

    @Test
    void twoProcessesResumingOneRunHaveOneOwnerAndTheOtherTakesOverOnceItsHeartbeatIsStale() throws Exception {
        String key = "contended";
        Path work = Files.createDirectories(dir.resolve(key));
        try (Cairn db = DurableRunMain.open(location())) {
            RunScope begun = db.runs().beginOrResume(RunStart.of(key, null, null));
            begun.step("step-1", String.class, s -> "result 1 response 1"); // before the processes, by hand
            // This process stops here without closing: its heartbeat goes stale after the children's 2 s window.
        }
        Thread.sleep(2_200);
        Path go = dir.resolve("go");
        try (Child a = new Child("contend", location(), key, work.toString(), go.toString(), "2000");
                Child b = new Child("contend", location(), key, work.toString(), go.toString(), "2000")) {
            a.await(Jvm.READY);
            b.await(Jvm.READY);
            Jvm.go(go);
            String first = awaitEither(a, b, "owner");
            Child owner = first.equals("a") ? a : b;
            Child other = owner == a ? b : a;
            other.await("conflict");
            assertThat(other.printed("owner")).isFalse();
            Thread.sleep(700); // the owner works a few steps
            assertThat(other.printed("took-over")).as("taken over while its owner was alive").isFalse();
            owner.kill();
            long killedAt = System.nanoTime();
            other.await("took-over");
            other.await("done");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)).isLessThan(30_000);
        }
        try (Cairn db = DurableRunMain.open(location())) {
            Run run = db.runs().get(db.runs().recent(1).get(0).id());
            assertThat(run.key()).contains(key);
            assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
            List<Step> steps = db.runs().steps(run.id());
            assertThat(steps).hasSize(DurableRunMain.STEPS).allMatch(s -> s.status() == StepStatus.SUCCESS);
            Map<String, Long> effects = count(work.resolve("effects"));
            assertThat(effects.values()).allMatch(n -> n <= 2);
            assertThat(effects.values().stream().filter(n -> n == 2)).hasSizeLessThanOrEqualTo(1);
            assertThat(db.runs().auditLog(AuditQuery.all().forRun(run.id()).event("run.resumed").limit(10)))
                    .hasSize(2);
        }
    }

    /**
     * Resumes the run of a killed child: at once on SQLite (its pid is gone on this host), once its heartbeat is
     * 300 ms old on PostgreSQL (where no process table is trusted).
     */
    static RunScope resumeOnceStale(Cairn db, String key) throws InterruptedException {
        RunStart start = RunStart.of(key, null, null).staleAfter(java.time.Duration.ofMillis(300));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return db.runs().beginOrResume(start);
            } catch (dev.cairn.ConflictException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** Which of the two children printed a line starting with {@code prefix} first: "a" or "b". */
    static String awaitEither(Child a, Child b, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            if (a.printed(prefix)) {
                return "a";
            }
            if (b.printed(prefix)) {
                return "b";
            }
            Thread.sleep(10);
        }
        throw new AssertionError("neither child printed " + prefix + ":\n" + a.lines + "\n" + b.lines);
    }
}
