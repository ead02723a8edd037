package dev.cairn.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Backends;
import dev.cairn.Cairn;
import dev.cairn.ConflictException;
import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import dev.cairn.TestClock;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLedgerTest {
    @TempDir
    Path dir;

    /** Where the store under test lives: a SQLite file here, a PostgreSQL schema in the Postgres variant. */
    String location() {
        return dir.resolve("ledger.db").toString();
    }

    final TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00Z"));
    Cairn db;

    @BeforeEach
    void open() {
        db = Cairn.builder().location(location()).clock(clock).open();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void runStepsAndAuditRoundTrip() {
        String runId;
        try (RunScope run = db.runs().begin(List.of("plan", "--goal", "ship"), Map.of("model", "m1", "depth", 2),
                "0123abcd")) {
            runId = run.id();
            clock.advance(Duration.ofMillis(5));
            String answer = run.step("plan", step -> {
                step.stat("tasks", 3);
                clock.advance(Duration.ofMillis(40));
                return "planned";
            });
            assertThat(answer).isEqualTo("planned");
            try (StepScope fetch = run.step("fetch")) {
                clock.advance(Duration.ofMillis(7));
                fetch.skip("cache was fresh");
            }
            assertThat(run.run().status()).isEqualTo(RunStatus.RUNNING);
            clock.advance(Duration.ofMillis(3));
        }

        Run run = db.runs().get(runId);
        assertThat(run.createdAt()).isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
        assertThat(run.duration()).contains(Duration.ofMillis(55));
        assertThat(run.args().toString()).isEqualTo("[\"plan\",\"--goal\",\"ship\"]");
        assertThat(run.config().get("model").asText()).isEqualTo("m1");
        assertThat(run.configHash()).isEqualTo(ConfigHash.of(Map.of("depth", 2, "model", "m1"))).hasSize(64);
        assertThat(run.gitSha()).contains("0123abcd");
        assertThat(run.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(run.stepCount()).isEqualTo(2);

        List<Step> steps = db.runs().steps(runId);
        assertThat(steps).extracting(Step::name).containsExactly("plan", "fetch");
        assertThat(steps).extracting(Step::position).containsExactly(1, 2);
        assertThat(steps).extracting(Step::status).containsExactly(StepStatus.SUCCESS, StepStatus.SKIPPED);
        assertThat(steps.get(0).stats().get("tasks").asInt()).isEqualTo(3);
        assertThat(steps.get(0).stats().get("duration_ms").asLong()).isEqualTo(40);
        assertThat(steps.get(0).duration()).contains(Duration.ofMillis(40));
        assertThat(steps.get(1).stats().get("duration_ms").asLong()).isEqualTo(7);
        assertThat(steps.get(1).message()).contains("cache was fresh");

        List<AuditEntry> audit = db.runs().auditLog(AuditQuery.all().forRun(runId));
        assertThat(audit).extracting(AuditEntry::event).containsExactly("run.created", "step.started",
                "step.finished", "step.started", "step.finished", "run.finished");
        assertThat(audit).extracting(AuditEntry::scope).containsExactly("run", "plan", "plan", "fetch", "fetch",
                "run");
        assertThat(audit.get(0).data().get("config_hash").asText()).isEqualTo(run.configHash());
        assertThat(audit).allSatisfy(e -> assertThat(e.runId()).contains(runId));
    }

    @Test
    void aStepThatThrowsIsRecordedFailedAndTheExceptionReachesTheCaller() {
        IOException thrown = new IOException("upstream answered 503");
        String runId;
        try (RunScope run = db.runs().begin(null, null)) {
            runId = run.id();
            assertThatThrownBy(() -> run.step("fetch", step -> {
                clock.advance(Duration.ofMillis(12));
                throw thrown;
            })).isSameAs(thrown);
            assertThatThrownBy(() -> run.step("parse", step -> {
                throw new IllegalStateException("bad page");
            })).isInstanceOf(IllegalStateException.class).hasMessage("bad page");
        }
        List<Step> steps = db.runs().steps(runId);
        assertThat(steps).extracting(Step::status).containsExactly(StepStatus.FAILED, StepStatus.FAILED);
        assertThat(steps.get(0).message()).contains("upstream answered 503");
        assertThat(steps.get(0).stats().get("duration_ms").asLong()).isEqualTo(12);
        assertThat(db.runs().get(runId).status()).isEqualTo(RunStatus.FAILED);

        List<AuditEntry> failures = db.runs().auditLog(AuditQuery.all().forRun(runId).event("step.failed"));
        assertThat(failures).hasSize(2);
        assertThat(failures.get(0).level()).isEqualTo(AuditLevel.ERROR);
        assertThat(failures.get(0).message()).contains("upstream answered 503");
        assertThat(failures.get(0).data().get("exception").asText()).isEqualTo("java.io.IOException");
    }

    @Test
    @SuppressWarnings("try") // the step is used only for what its close() records
    void aStepScopeClosedWithoutAnOutcomeIsRecordedFailed() {
        String runId;
        try (RunScope run = db.runs().begin(null, null)) {
            runId = run.id();
            assertThatThrownBy(() -> {
                try (StepScope step = run.step("write")) {
                    throw new IllegalStateException("disk said no");
                }
            }).hasMessage("disk said no");
        }
        Step step = db.runs().steps(runId).get(0);
        assertThat(step.status()).isEqualTo(StepStatus.FAILED);
        assertThat(step.message().orElseThrow()).contains("without success()");
    }

    @Test
    void closingTheRunFailsTheStepsItLeftRunning() {
        RunScope run = db.runs().begin(null, null);
        StepScope forgotten = run.step("forgotten");
        run.close();
        run.close(); // closing again does nothing
        Step step = db.runs().steps(run.id()).get(0);
        assertThat(step.status()).isEqualTo(StepStatus.FAILED);
        assertThat(step.message()).contains("the run ended before the step did");
        assertThat(db.runs().get(run.id()).status()).isEqualTo(RunStatus.FAILED);
        // the step's late outcome changes nothing: the run's closing already recorded it
        forgotten.success();
        assertThat(db.runs().steps(run.id()).get(0).status()).isEqualTo(StepStatus.FAILED);
        assertThatThrownBy(forgotten::success).isInstanceOf(ConflictException.class)
                .hasMessageContaining("has ended already");
        assertThat(db.runs().auditLog(AuditQuery.all().forRun(run.id()).event("run.finished"))).hasSize(1);
        assertThatThrownBy(() -> run.step("late")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> db.runs().resume(run.id())).isInstanceOf(ConflictException.class);
    }

    @Test
    void anUnfinishedRunIsRunningAndCanBeResumed() {
        RunScope first = db.runs().begin(List.of("a"), null);
        first.step("one", step -> null);
        assertThat(db.runs().get(first.id()).status()).isEqualTo(RunStatus.RUNNING);
        try (RunScope resumed = db.runs().resume(first.id())) {
            resumed.step("two", step -> null);
        }
        assertThat(db.runs().steps(first.id())).extracting(Step::position).containsExactly(1, 2);
        assertThat(db.runs().get(first.id()).status()).isEqualTo(RunStatus.SUCCESS);
        assertThatThrownBy(() -> db.runs().resume("no-such-run")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no-such-run");
    }

    @Test
    void recentListsNewestFirst() {
        String[] ids = new String[3];
        for (int i = 0; i < 3; i++) {
            try (RunScope run = db.runs().begin(List.of("run" + i), null)) {
                ids[i] = run.id();
            }
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(db.runs().recent(2)).extracting(Run::id).containsExactly(ids[2], ids[1]);
        assertThatThrownBy(() -> db.runs().recent(0)).isInstanceOf(InvalidInputException.class);
    }

    /** Workers starting steps of one run at once get distinct positions 1..n, none refused by the unique index. */
    @Test
    void stepsBegunAtOnceFromManyThreadsGetDistinctPositions() throws Exception {
        int threads = 16;
        try (RunScope run = db.runs().begin(List.of("parallel"), null)) {
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> steps = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String name = "worker-" + t;
                    steps.add(pool.submit(() -> {
                        start.await();
                        run.step(name).success();
                        return null;
                    }));
                }
                for (Future<?> step : steps) {
                    step.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(db.runs().steps(run.id())).extracting(Step::position)
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, threads).boxed().toList());
        }
    }

    @Test
    void theForeignKeyFromStepToRunIsEnforced() throws SQLException {
        db.close();
        try (Connection c = Backends.connect(location());
                Statement s = c.createStatement()) {
            if (Backends.isSqlite(location())) {
                s.execute("PRAGMA foreign_keys = ON");
            }
            assertThatThrownBy(() -> s.executeUpdate("INSERT INTO run_steps (step_id, run_id, seq, name, started_at, "
                    + "status, stats_json) VALUES ('s1', 'missing-run', 1, 'x', 0, 'running', '{}')"))
                    .isInstanceOf(SQLException.class).hasMessageMatching("(?is).*foreign key.*");
        } finally {
            db = Cairn.builder().location(location()).clock(clock).open();
        }
    }

    @Test
    void auditQueriesFilterByRunLevelEventAndTime() {
        String runId;
        try (RunScope run = db.runs().begin(null, null)) {
            runId = run.id();
            run.audit(AuditLevel.WARN, "quota.low", "80% of the quota used", Map.of("used", 0.8));
        }
        clock.advance(Duration.ofHours(2));
        Instant later = clock.instant();
        db.runs().audit(AuditLevel.DEBUG, "scheduler", "tick", "tick", null);
        db.runs().audit(AuditLevel.ERROR, "scheduler", "crash", "worker died", Map.of("worker", 3));

        assertThat(db.runs().auditLog(AuditQuery.all().atLeast(AuditLevel.WARN))).extracting(AuditEntry::event)
                .containsExactly("quota.low", "crash");
        assertThat(db.runs().auditLog(AuditQuery.all().event("run.*"))).extracting(AuditEntry::event)
                .containsExactly("run.created", "run.finished");
        assertThat(db.runs().auditLog(AuditQuery.all().since(later))).extracting(AuditEntry::event)
                .containsExactly("tick", "crash");
        assertThat(db.runs().auditLog(AuditQuery.all().forRun(runId))).hasSize(3);
        assertThat(db.runs().auditLog(AuditQuery.all().limit(2))).extracting(AuditEntry::event)
                .containsExactly("tick", "crash");
        AuditEntry tick = db.runs().auditLog(AuditQuery.all().event("tick")).get(0);
        assertThat(tick.runId()).isEmpty();
        assertThat(tick.data().isNull()).isTrue();
        assertThatThrownBy(() -> db.runs().audit("nope", AuditLevel.INFO, "x", "y", "z", null))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> db.runs().audit(AuditLevel.INFO, " ", "y", "z", null))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aRunBegunInATransactionThatRollsBackLeavesNothing() {
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            try (RunScope run = tx.runs().begin(null, Map.of("k", 1))) {
                run.step("inside", step -> null);
            }
            throw new IllegalStateException("changed my mind");
        })).hasMessage("changed my mind");
        assertThat(db.runs().recent(10)).isEmpty();
        assertThat(db.runs().auditLog(AuditQuery.all())).isEmpty();
    }

    @Test
    void badInputIsRefusedAndWritesNothing() {
        assertThatThrownBy(() -> db.runs().begin(null, null, "not a sha")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a sha");
        assertThatThrownBy(() -> db.runs().begin(null, Map.of("x", Double.NaN)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(db.runs().recent(10)).isEmpty();
    }
}
