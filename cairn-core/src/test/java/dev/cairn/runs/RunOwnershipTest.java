package dev.cairn.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Backends;
import dev.cairn.Cairn;
import dev.cairn.ConflictException;
import dev.cairn.Owner;
import dev.cairn.StaleClaimException;
import dev.cairn.TestClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run belongs to the scope that began or last resumed it, under a fencing token: its process heartbeats it with
 * every step, another process may resume it only once that heartbeat is stale, and the scope it was taken from is
 * refused from then on.
 */
class RunOwnershipTest {
    @TempDir
    Path dir;

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

    /** Makes {@code owner} (another process, on another host) the run's holder, heartbeat now, as its resume would. */
    void heldElsewhere(String runId, Owner owner) throws SQLException {
        try (Connection c = Backends.connect(location());
                PreparedStatement s = c.prepareStatement("UPDATE runs SET owner_id = ?, owner_host = ?, owner_pid = ?, "
                        + "claim_token = ?, heartbeat_at = ? WHERE run_id = ?")) {
            s.setString(1, owner.id());
            s.setString(2, owner.host());
            s.setLong(3, owner.pid());
            s.setString(4, "elsewhere");
            s.setLong(5, clock.millis());
            s.setString(6, runId);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void aRunIsHeldByItsProcessAndHeartbeatByItsSteps() {
        RunScope run = db.runs().begin(List.of("a"), null);
        assertThat(db.runs().get(run.id()).owner()).contains(Owner.current());
        assertThat(db.runs().get(run.id()).heartbeatAt()).contains(clock.instant());
        clock.advance(Duration.ofSeconds(3));
        run.step("one", step -> null);
        assertThat(db.runs().get(run.id()).heartbeatAt()).contains(clock.instant());
        clock.advance(Duration.ofSeconds(3));
        run.heartbeat();
        assertThat(db.runs().get(run.id()).heartbeatAt()).contains(clock.instant());
        run.close();
        assertThatThrownBy(run::heartbeat).isInstanceOf(ConflictException.class).hasMessageContaining("finished");
    }

    @Test
    void resumingTakesTheRunOverAndTheScopeBeforeIsRefused() {
        RunScope first = db.runs().begin(List.of("a"), null);
        StepScope open = first.step("left open");
        RunScope second = db.runs().resume(first.id()); // this process may always take its own run over
        long audits = db.runs().auditLog(AuditQuery.all().forRun(first.id())).size();
        assertThatThrownBy(() -> first.step("late")).isInstanceOfSatisfying(StaleClaimException.class, e -> {
            assertThat(e.claimed()).isEqualTo(StaleClaimException.Claimed.RUN);
            assertThat(e.claimedId()).isEqualTo(first.id());
            assertThat(e.goalId()).isNull();
        }).hasMessageContaining("run " + first.id()).hasMessageContaining("resumed by " + Owner.current());
        assertThatThrownBy(open::success).isInstanceOf(StaleClaimException.class);
        assertThatThrownBy(first::heartbeat).isInstanceOf(StaleClaimException.class);
        assertThatThrownBy(first::close).isInstanceOf(StaleClaimException.class);
        assertThat(db.runs().auditLog(AuditQuery.all().forRun(first.id()))).hasSize((int) audits);
        assertThat(db.runs().steps(first.id())).extracting(Step::status).containsExactly(StepStatus.RUNNING);

        second.step("two", step -> null);
        second.close(); // fails the step the first scope left running
        assertThat(db.runs().steps(first.id())).extracting(Step::status)
                .containsExactly(StepStatus.FAILED, StepStatus.SUCCESS);
        assertThat(db.runs().auditLog(AuditQuery.all().forRun(first.id()).event("run.resumed"))).hasSize(1);
    }

    @Test
    void anotherProcessesLiveRunIsNotResumedUntilItsHeartbeatIsStale() throws SQLException {
        RunScope run = db.runs().begin(List.of("a"), null);
        Owner elsewhere = Owner.of("other-host");
        heldElsewhere(run.id(), elsewhere);
        assertThat(db.runs().get(run.id()).owner()).contains(elsewhere);
        assertThatThrownBy(() -> db.runs().resume(run.id(), Duration.ofSeconds(30)))
                .isExactlyInstanceOf(ConflictException.class).hasMessageContaining(elsewhere.id())
                .hasMessageContaining("other-host").hasMessageContaining("Nothing was changed");
        assertThat(db.runs().get(run.id()).owner()).contains(elsewhere);

        clock.advance(Duration.ofSeconds(31));
        RunScope taken = db.runs().resume(run.id(), Duration.ofSeconds(30));
        assertThat(db.runs().get(run.id()).owner()).contains(Owner.current());
        assertThat(db.runs().auditLog(AuditQuery.all().forRun(run.id()).event("run.resumed")).get(0).data().get(
                "previous_owner").asText()).isEqualTo(elsewhere.id());
        taken.close();
        assertThat(db.runs().get(run.id()).status()).isEqualTo(RunStatus.SUCCESS);
    }
}
