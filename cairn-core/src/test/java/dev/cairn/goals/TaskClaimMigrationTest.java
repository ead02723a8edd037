package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Backends;
import dev.cairn.Cairn;
import dev.cairn.IllegalTransitionException;
import dev.cairn.TestClock;
import dev.cairn.events.RecordedEvent;
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
 * A store that had running tasks before task claims were fenced (schema version 4) keeps working: those tasks were
 * claimed without a token, so no worker can end them, but lease expiry and an operator reset still do.
 */
class TaskClaimMigrationTest {
    static final Instant BEFORE = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    String location() {
        return dir.resolve("old.db").toString();
    }

    /** Migrates a new store to version 4 only, and writes into it what version 4 of Cairn wrote for claims. */
    void anOldStoreWithRunningTasks() throws SQLException {
        Backends.migrateTo(location(), 4);
        long then = BEFORE.toEpochMilli();
        try (Connection c = Raw.connect(location()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO goals (goal_id, original_text, normalized_text, kind, project_dir, status, phase, "
                    + "delivery_policy, merge_policy, until_ready, slice_execution, max_agents, created_at, "
                    + "updated_at, version) VALUES ('g', 'old', 'old', 'feature', '/p', 'running', 'execution', "
                    + "'local', 'disabled', FALSE, FALSE, 1, " + then + ", " + then + ", 2)");
            for (String[] t : List.of(new String[] {"leased", "0", String.valueOf(then + 30_000)},
                    new String[] {"unleased", "1", "NULL"})) {
                s.execute("INSERT INTO goal_tasks (goal_id, task_id, position, title, kind, status, owner, read_set, "
                        + "write_set, depends_on, acceptance, evidence, lease_expires_at, created_at, updated_at) "
                        + "VALUES ('g', '" + t[0] + "', " + t[1] + ", 'old', 'task', 'running', 'old-worker', '[]', "
                        + "'[]', '[]', '[]', '[]', " + t[2] + ", " + then + ", " + then + ")");
            }
        }
    }

    @Test
    void runningTasksFromBeforeTheMigrationEndByExpiryOrReset() throws SQLException {
        anOldStoreWithRunningTasks();
        TestClock clock = new TestClock(BEFORE.plusSeconds(10));
        try (Cairn db = Cairn.builder().location(location()).clock(clock).open()) {
            TaskStore tasks = db.goals().tasks();
            Task leased = tasks.get("g", "leased");
            assertThat(leased.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(leased.owner()).isEqualTo("old-worker");
            assertThat(leased.heartbeatAt()).isEqualTo(BEFORE); // its last change is its last sign of life
            assertThatThrownBy(() -> tasks.updateStatus("g", "leased", TaskStatus.DONE))
                    .isInstanceOf(IllegalTransitionException.class);

            clock.advance(Duration.ofMinutes(1));
            assertThat(tasks.requeueExpired("g")).extracting(Task::id).containsExactly("leased");
            RecordedEvent expired = db.events().readStream(Goal.streamId("g"), 0).toList().get(0);
            assertThat(expired.type()).isEqualTo("goal.task-lease-expired");
            assertThat(expired.payloadTree().get("claim").asText()).isEqualTo("claimed-before-migration-5");
            assertThat(expired.payloadTree().get("claimOwner").asText()).isEqualTo("old-worker");

            // Without a lease it never expires: an operator resets it.
            assertThat(tasks.get("g", "unleased").status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(tasks.resetTask("g", "unleased", "claimed before fencing").status())
                    .isEqualTo(TaskStatus.PENDING);
            TaskClaim claim = tasks.claimTask("g", "new-worker", Duration.ofMinutes(1)).orElseThrow();
            assertThat(tasks.complete(claim, null).status()).isEqualTo(TaskStatus.DONE);
        }
    }
}
