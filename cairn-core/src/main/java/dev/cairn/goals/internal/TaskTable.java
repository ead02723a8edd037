package dev.cairn.goals.internal;

import dev.cairn.goals.Task;
import dev.cairn.goals.TaskStatus;
import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of the {@code goal_tasks} table. */
final class TaskTable {
    private static final String COLUMNS = "goal_id, task_id, position, title, description, kind, status, owner, "
            + "read_set, write_set, depends_on, acceptance, evidence, risk, retry_count, max_retries, "
            + "lease_expires_at, completed_at, created_at, updated_at";

    private TaskTable() {}

    static void insert(Connection c, Task t) throws SQLException {
        Sql.update(c, "INSERT INTO goal_tasks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?)", t.goalId(), t.id(), t.position(), t.title(), t.description(), t.kind(),
                t.status(), t.owner(), JsonLists.write(t.readSet()), JsonLists.write(t.writeSet()),
                JsonLists.write(t.dependsOn()), JsonLists.write(t.acceptance()), JsonLists.write(t.evidence()),
                t.risk(), t.retryCount(), t.maxRetries(), t.leaseExpiresAt(), t.completedAt(), t.createdAt(),
                t.updatedAt());
    }

    /** Writes what a task's life changes: status, owner, lease, retries, evidence, times. */
    static void update(Connection c, Task t) throws SQLException {
        Sql.update(c, "UPDATE goal_tasks SET status = ?, owner = ?, evidence = ?, retry_count = ?, "
                + "lease_expires_at = ?, completed_at = ?, updated_at = ? WHERE goal_id = ? AND task_id = ?",
                t.status(), t.owner(), JsonLists.write(t.evidence()), t.retryCount(), t.leaseExpiresAt(),
                t.completedAt(), t.updatedAt(), t.goalId(), t.id());
    }

    static Optional<Task> find(Connection c, String goalId, String taskId) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM goal_tasks WHERE goal_id = ? AND task_id = ?",
                TaskTable::map, goalId, taskId);
    }

    /** The goal's tasks in the order they were added. */
    static List<Task> byGoal(Connection c, String goalId) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM goal_tasks WHERE goal_id = ? ORDER BY position",
                TaskTable::map, goalId);
    }

    static int nextPosition(Connection c, String goalId) throws SQLException {
        return (int) Sql.longValue(c, "SELECT max(position) + 1 FROM goal_tasks WHERE goal_id = ?", 0, goalId);
    }

    static int deleteByGoal(Connection c, String goalId) throws SQLException {
        return Sql.update(c, "DELETE FROM goal_tasks WHERE goal_id = ?", goalId);
    }

    /** How many tasks of each goal are in each status. */
    static Map<String, Map<TaskStatus, Integer>> countsByGoal(Connection c, List<String> goalIds) throws SQLException {
        Map<String, Map<TaskStatus, Integer>> counts = new HashMap<>();
        if (goalIds.isEmpty()) {
            return counts;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(goalIds.size(), "?"));
        Sql.list(c, "SELECT goal_id, status, count(*) AS n FROM goal_tasks WHERE goal_id IN (" + marks + ") "
                + "GROUP BY goal_id, status", row -> counts.computeIfAbsent(row.getString("goal_id"),
                        id -> new EnumMap<>(TaskStatus.class))
                .put(TaskStatus.fromStored(row.getString("status")), row.getInt("n")), goalIds.toArray());
        return counts;
    }

    private static Task map(ResultSet row) throws SQLException {
        return new Task(row.getString("goal_id"), row.getString("task_id"), row.getInt("position"),
                row.getString("title"), row.getString("description"), row.getString("kind"),
                TaskStatus.fromStored(row.getString("status")), row.getString("owner"),
                JsonLists.strings(row.getString("read_set")), JsonLists.strings(row.getString("write_set")),
                JsonLists.strings(row.getString("depends_on")), JsonLists.strings(row.getString("acceptance")),
                JsonLists.strings(row.getString("evidence")), row.getString("risk"), row.getInt("retry_count"),
                row.getInt("max_retries"), Sql.nullableInstant(row, "lease_expires_at"),
                Sql.nullableInstant(row, "completed_at"), Instant.ofEpochMilli(row.getLong("created_at")),
                Instant.ofEpochMilli(row.getLong("updated_at")));
    }
}
