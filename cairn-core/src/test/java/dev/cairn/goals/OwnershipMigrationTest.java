package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Backends;
import dev.cairn.Cairn;
import dev.cairn.Owner;
import dev.cairn.TestClock;
import dev.cairn.events.RecordedEvent;
import dev.cairn.runs.RunScope;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose controllers and leases were named by a pid alone (before migration 0009) keeps working: they become
 * owners nobody can heartbeat for, and are taken over or expired once their last heartbeat is older than the stale
 * window, like any owner that stopped. Its unfinished runs have no owner, and any process may resume them.
 */
class OwnershipMigrationTest {
    static final Instant BEFORE = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    String location() {
        return dir.resolve("old.db").toString();
    }

    /** Migrates a new store to version 8 only, and writes a controlled goal and a lease as Cairn wrote them then. */
    void anOldStoreWithAControllerAndALease() throws SQLException {
        Backends.migrateTo(location(), 8);
        long then = BEFORE.toEpochMilli();
        try (Connection c = Raw.connect(location()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO goals (goal_id, original_text, normalized_text, kind, project_dir, status, phase, "
                    + "delivery_policy, merge_policy, until_ready, slice_execution, max_agents, controller_pid, "
                    + "heartbeat_at, created_at, updated_at, version) VALUES ('g', 'old', 'old', 'feature', '/p', "
                    + "'running', 'execution', 'local', 'disabled', FALSE, FALSE, 1, " + ProcessHandle.current().pid()
                    + ", " + then + ", " + then + ", " + then + ", 3)");
            s.execute("INSERT INTO runs (run_id, created_at, args_json, config_json, config_hash) VALUES ('r', "
                    + then + ", '[]', '{}', '" + "0".repeat(64) + "')");
            s.execute("INSERT INTO goal_slice_leases (goal_id, slice_id, owner_pid, owner_role, write_set, "
                    + "claimed_at, heartbeat_at) VALUES ('g', 's', 4242, 'worker', '[\"src\"]', " + then + ", "
                    + then + ")");
        }
    }

    @Test
    void pidOnlyControllersAndLeasesAreTakenOverOnceStale() throws SQLException {
        anOldStoreWithAControllerAndALease();
        TestClock clock = new TestClock(BEFORE.plusSeconds(10));
        Owner successor = Owner.of("host-new");
        try (Cairn db = Cairn.builder().location(location()).clock(clock).open()) {
            GoalStore goals = db.goals();
            Goal goal = goals.get("g");
            Owner legacy = goal.controller();
            // Even this very process's pid: the old row names no owner id, so nobody can heartbeat for it.
            assertThat(legacy.id()).isEqualTo("pid-" + ProcessHandle.current().pid() + "-before-migration-9");
            assertThat(legacy.host()).isEqualTo("unknown");
            assertThat(legacy.pid()).isEqualTo(ProcessHandle.current().pid());
            SliceLease lease = goals.leases().active("g").get(0);
            assertThat(lease.owner()).isEqualTo(new Owner("pid-4242-before-migration-9", "unknown", 4242));

            // Within the stale window the old controller and lease still hold.
            assertThat(goals.claimController("g", successor, Duration.ofSeconds(30))).isEmpty();
            assertThat(goals.listOrphaned(Duration.ofSeconds(30))).isEmpty();
            assertThat(goals.leases().expireStale(Duration.ofSeconds(30))).isEmpty();
            assertThat(goals.leases().tryClaim("g", "s", successor, "worker", List.of("src")))
                    .isInstanceOf(ClaimResult.SliceHeld.class);

            clock.advance(Duration.ofSeconds(30));
            assertThat(goals.listOrphaned(Duration.ofSeconds(30))).extracting(Goal::id).containsExactly("g");
            ControllerClaim taken = goals.claimController("g", successor, Duration.ofSeconds(30)).orElseThrow();
            RecordedEvent takeover = db.events().readStream(Goal.streamId("g"), 0).toList().get(0);
            assertThat(takeover.payloadTree().get("previousClaim").asText()).isEqualTo("claimed-before-migration-9");
            assertThat(goals.leases().expireStale(Duration.ofSeconds(30))).extracting(SliceLease::id)
                    .containsExactly(lease.id());
            assertThat(goals.leases().tryClaim("g", "s", successor, "worker", List.of("src")).claimed()).isTrue();
            assertThat(goals.heartbeat(taken).owner()).isEqualTo(successor);

            // An unfinished run from before recorded no owner: nobody holds it, and any process may resume it.
            assertThat(db.runs().get("r").owner()).isEmpty();
            assertThat(db.runs().get("r").heartbeatAt()).isEmpty();
            try (RunScope resumed = db.runs().resume("r")) {
                resumed.step("after the migration", step -> null);
            }
            assertThat(db.runs().get("r").owner()).contains(Owner.current());
        }
    }
}
