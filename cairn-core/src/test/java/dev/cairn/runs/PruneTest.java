package dev.cairn.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneTest {
    @TempDir
    Path dir;

    /** Where the store under test lives: a SQLite file here, a PostgreSQL schema in the Postgres variant. */
    String location() {
        return dir.resolve("prune.db").toString();
    }

    final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
    Cairn db;
    String oldRun;
    String oldUnfinishedRun;
    String recentRun;

    /** Day 0: an old finished run and an old unfinished one; day 200: a recent run; then "now" is day 201. */
    @BeforeEach
    void history() {
        db = Cairn.builder().location(location()).clock(clock).open();
        try (RunScope run = db.runs().begin(List.of("old"), null)) {
            oldRun = run.id();
            run.step("a", step -> null);
            run.step("b", step -> null);
        }
        RunScope unfinished = db.runs().begin(List.of("crashed"), null);
        oldUnfinishedRun = unfinished.id();
        unfinished.step("c");
        db.runs().audit(AuditLevel.INFO, "scheduler", "old.note", "day 0", null);
        clock.advance(Duration.ofDays(200));
        try (RunScope run = db.runs().begin(List.of("recent"), null)) {
            recentRun = run.id();
            run.step("d", step -> null);
        }
        clock.advance(Duration.ofDays(1));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aDryRunCountsAndDeletesNothing() {
        long auditBefore = auditCount();
        PruneResult result = db.runs().prune(Retention.keepEverything().auditOlderThan(Duration.ofDays(90))
                .runsOlderThan(Duration.ofDays(180)).asDryRun());
        assertThat(result.dryRun()).isTrue();
        assertThat(result.runs()).isEqualTo(1);
        assertThat(result.steps()).isEqualTo(2);
        // day 0: run.created, 2 x (step.started, step.finished), run.finished, run.created, step.started, old.note
        assertThat(result.auditEntries()).isEqualTo(9);
        assertThat(result.auditCutoff()).contains(clock.instant().minus(Duration.ofDays(90)));
        assertThat(auditCount()).isEqualTo(auditBefore);
        assertThat(db.runs().find(oldRun)).isPresent();
    }

    @Test
    void pruningRunsDeletesOldFinishedRunsWithTheirStepsAndUnlinksTheirAudit() {
        PruneResult result = db.runs().prune(Retention.keepEverything().runsOlderThan(Duration.ofDays(180)));
        assertThat(result.runs()).isEqualTo(1);
        assertThat(result.steps()).isEqualTo(2);
        assertThat(result.auditEntries()).isZero();

        assertThat(db.runs().find(oldRun)).isEmpty();
        assertThat(db.runs().steps(oldRun)).isEmpty();
        // an unfinished run is never pruned, however old: it may still be going, or its end is worth a look
        assertThat(db.runs().find(oldUnfinishedRun)).isPresent();
        assertThat(db.runs().steps(oldUnfinishedRun)).hasSize(1);
        assertThat(db.runs().find(recentRun)).isPresent();
        assertThat(db.runs().steps(recentRun)).hasSize(1);

        // the old run's audit entries keep their text and lose the link
        List<AuditEntry> created = db.runs().auditLog(AuditQuery.all().event("run.created"));
        assertThat(created).hasSize(3);
        assertThat(created.get(0).runId()).isEmpty();
        assertThat(created.get(0).message()).contains(oldRun);
        assertThat(created.get(1).runId()).contains(oldUnfinishedRun);
        assertThat(db.runs().auditLog(AuditQuery.all().event("ledger.pruned"))).hasSize(1);
    }

    @Test
    void pruningAuditDeletesExactlyTheOlderEntries() {
        long recent = db.runs().auditLog(AuditQuery.all().since(Instant.parse("2025-01-02T00:00:00Z"))).size();
        PruneResult result = db.runs().prune(Retention.keepEverything().auditOlderThan(Duration.ofDays(90)));
        assertThat(result.auditEntries()).isEqualTo(9);
        assertThat(result.runs()).isZero();
        List<AuditEntry> left = db.runs().auditLog(AuditQuery.all());
        assertThat(left).hasSize((int) recent + 1); // and the entry recording the prune
        assertThat(left).allSatisfy(e -> assertThat(e.at()).isAfter(Instant.parse("2025-01-02T00:00:00Z")));
        assertThat(db.runs().find(oldRun)).isPresent();
        assertThat(db.runs().steps(oldRun)).hasSize(2);
    }

    @Test
    void retentionAgesMustBePositive() {
        assertThatThrownBy(() -> Retention.keepEverything().auditOlderThan(Duration.ZERO))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("PT0S");
        assertThat(db.runs().prune(Retention.keepEverything()).runs()).isZero();
    }

    private long auditCount() {
        return db.runs().auditLog(AuditQuery.all().limit(10_000)).size();
    }
}
