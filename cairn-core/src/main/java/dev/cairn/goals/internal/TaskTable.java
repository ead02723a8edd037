package dev.cairn.goals.internal;

import dev.cairn.goals.Task;
import dev.cairn.goals.TaskStatus;
import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of the {@code goal_tasks} table and of {@code goal_task_dependencies}, the index of its dependency lists. A
 * running task carries in {@code claim_token} the fencing token of the claim that made it run (migration task_claims);
 * no other state has one. Every change a claim makes is one UPDATE conditional on that token and on the task still
 * running, so the check and the change cannot be separated by another writer on either backend (on PostgreSQL a
 * concurrent UPDATE of the row re-evaluates the condition on the row as committed), and no goal lock is needed for it.
 *
 * <p>Which tasks are ready is decided in the database from the dependency rows (migration task_dependencies), which
 * are written with their task and never change, so a claim reads only the task it takes and writes only its row.
 */
final class TaskTable {
    private static final String COLUMNS = "goal_id, task_id, position, title, description, kind, status, owner, "
            + "read_set, write_set, depends_on, acceptance, evidence, risk, retry_count, max_retries, "
            + "lease_expires_at, heartbeat_at, completed_at, created_at, updated_at";
    private static final String SET = "status = ?, owner = ?, evidence = ?, retry_count = ?, lease_expires_at = ?, "
            + "heartbeat_at = ?, completed_at = ?, updated_at = ?, claim_token = ?";
    private static final String CLAIMED = "goal_id = ? AND task_id = ? AND status = 'running' AND claim_token = ?";
    /**
     * The goal's tasks that may start: pending or ready, and every dependency present and done (a missing one, which
     * a validated graph never has, keeps the task waiting).
     */
    private static final String READY = "SELECT " + COLUMNS + " FROM goal_tasks t WHERE t.goal_id = ? "
            + "AND t.status IN ('pending', 'ready') AND NOT EXISTS (SELECT 1 FROM goal_task_dependencies d "
            + "WHERE d.goal_id = t.goal_id AND d.task_id = t.task_id AND NOT EXISTS (SELECT 1 FROM goal_tasks p "
            + "WHERE p.goal_id = d.goal_id AND p.task_id = d.depends_on AND p.status = 'done'))";

    private TaskTable() {}

    /** Inserts the tasks with their dependency rows, each table's rows in one batch. */
    static void insert(Connection c, List<Task> tasks) throws SQLException {
        if (tasks.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO goal_tasks (" + COLUMNS + ") VALUES (?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Task t : tasks) {
                Sql.bind(insert, t.goalId(), t.id(), t.position(), t.title(), t.description(), t.kind(), t.status(),
                        t.owner(), JsonLists.write(t.readSet()), JsonLists.write(t.writeSet()),
                        JsonLists.write(t.dependsOn()), JsonLists.write(t.acceptance()), JsonLists.write(t.evidence()),
                        t.risk(), t.retryCount(), t.maxRetries(), t.leaseExpiresAt(), t.heartbeatAt(),
                        t.completedAt(), t.createdAt(), t.updatedAt());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        // After every task: a dependency row names its task, which must exist (foreign key).
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO goal_task_dependencies (goal_id, task_id, "
                + "depends_on) VALUES (?, ?, ?)")) {
            boolean any = false;
            for (Task t : tasks) {
                for (String dependency : new LinkedHashSet<>(t.dependsOn())) {
                    Sql.bind(insert, t.goalId(), t.id(), dependency);
                    insert.addBatch();
                    any = true;
                }
            }
            if (any) {
                insert.executeBatch();
            }
        }
    }

    /**
     * Writes what a task's life changes (status, owner, lease, retries, evidence, times) and its claim token: the new
     * claim's when it starts running, else null. Only for tasks no claim holds (the caller holds the goal's lock).
     */
    static void update(Connection c, Task t, String claimToken) throws SQLException {
        Sql.update(c, "UPDATE goal_tasks SET " + SET + " WHERE goal_id = ? AND task_id = ?", values(t, claimToken,
                t.goalId(), t.id()));
    }

    /** Ends the claim {@code token} with this change, if it is still current; false (nothing written) if not. */
    static boolean updateClaimed(Connection c, Task t, String token) throws SQLException {
        return Sql.update(c, "UPDATE goal_tasks SET " + SET + " WHERE " + CLAIMED, values(t, null, t.goalId(),
                t.id(), token)) == 1;
    }

    /**
     * Ends the claim {@code token} if it is current and its lease is still out at {@code now}: a heartbeat that
     * extended it after the caller read the task keeps it.
     */
    static boolean updateExpired(Connection c, Task t, String token, Instant now) throws SQLException {
        return Sql.update(c, "UPDATE goal_tasks SET " + SET + " WHERE " + CLAIMED + " AND lease_expires_at < ?",
                values(t, null, t.goalId(), t.id(), token, now)) == 1;
    }

    /** Extends the lease of the claim {@code token} if it is still current; false (nothing written) if not. */
    static boolean heartbeat(Connection c, String goalId, String taskId, String token, Instant leaseExpiresAt,
            Instant now) throws SQLException {
        return Sql.update(c, "UPDATE goal_tasks SET lease_expires_at = ?, heartbeat_at = ? WHERE " + CLAIMED,
                leaseExpiresAt, now, goalId, taskId, token) == 1;
    }

    /** The token of the claim the task runs under; null when it is not running (or does not exist). */
    static String claimToken(Connection c, String goalId, String taskId) throws SQLException {
        return Sql.one(c, "SELECT claim_token FROM goal_tasks WHERE goal_id = ? AND task_id = ?",
                row -> row.getString("claim_token"), goalId, taskId).orElse(null);
    }

    private static Object[] values(Task t, String claimToken, Object... where) {
        Object[] set = {t.status(), t.owner(), JsonLists.write(t.evidence()), t.retryCount(), t.leaseExpiresAt(),
            t.heartbeatAt(), t.completedAt(), t.updatedAt(), claimToken};
        Object[] all = java.util.Arrays.copyOf(set, set.length + where.length);
        System.arraycopy(where, 0, all, set.length, where.length);
        return all;
    }

    static Optional<Task> find(Connection c, String goalId, String taskId) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM goal_tasks WHERE goal_id = ? AND task_id = ?",
                TaskTable::map, goalId, taskId);
    }

    /** The first task of the goal that may start, in the order added; or, with a {@code taskId}, that task if it may. */
    static Optional<Task> firstReady(Connection c, String goalId, String taskId) throws SQLException {
        return taskId == null
                ? Sql.one(c, READY + " ORDER BY t.position LIMIT 1", TaskTable::map, goalId)
                : Sql.one(c, READY + " AND t.task_id = ?", TaskTable::map, goalId, taskId);
    }

    /** Every task of the goal that may start, in the order added. */
    static List<Task> ready(Connection c, String goalId) throws SQLException {
        return Sql.list(c, READY + " ORDER BY t.position", TaskTable::map, goalId);
    }

    /** A running task and the token of the claim it runs under. */
    record Claimed(Task task, String token) {}

    /** The goal's running tasks whose lease ran out before {@code now}, in the order added, with their tokens. */
    static List<Claimed> expired(Connection c, String goalId, Instant now) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + ", claim_token FROM goal_tasks WHERE goal_id = ? "
                + "AND status = 'running' AND lease_expires_at < ? ORDER BY position",
                row -> new Claimed(map(row), row.getString("claim_token")), goalId, now);
    }

    /** Each task's ids and dependencies, in the order added: what a new batch is validated against. */
    static Map<String, List<String>> dependencies(Connection c, String goalId) throws SQLException {
        Map<String, List<String>> graph = new LinkedHashMap<>();
        Sql.list(c, "SELECT task_id, depends_on FROM goal_tasks WHERE goal_id = ? ORDER BY position",
                row -> graph.put(row.getString("task_id"), JsonLists.strings(row.getString("depends_on"))), goalId);
        return graph;
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
                Sql.nullableInstant(row, "heartbeat_at"), Sql.nullableInstant(row, "completed_at"), Instant.ofEpochMilli(row.getLong("created_at")),
                Instant.ofEpochMilli(row.getLong("updated_at")));
    }
}
