package dev.cairn.internal.copy;

import dev.cairn.internal.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every table a store copy moves, parents before children (foreign keys), each with its primary key for ordering.
 * A new migration that adds a table must name it here: a copy refuses a store with a table this list does not name,
 * and a test fails on a fresh store of either dialect until it is added.
 */
public final class CopyTables {
    /** A table and the columns of its primary key, in order. */
    public record Table(String name, String orderBy) {}

    /** The migration runner's bookkeeping: written by the destination's own migration, never copied. */
    public static final Set<String> BOOKKEEPING = Set.of("meta", "schema_migrations");

    /**
     * Tables derived from others, which the destination rebuilds by itself: PostgreSQL's {@code streams} (each
     * stream's version and order, made from its events on the stream's next append). Never copied.
     */
    public static final Set<String> DERIVED = Set.of("streams");

    /**
     * Columns never copied, by {@code table.column}; the destination gives them their default. {@code events.tx_order}
     * holds PostgreSQL transaction ids, which mean nothing on another server (ids there may be far lower, and would
     * order later appends before the copied events): copied events get 0, and keep their order by sequence.
     */
    public static final Set<String> NOT_COPIED = Set.of("events.tx_order");

    public static final List<Table> TABLES = List.of(
            new Table("store_identity", "id"),
            new Table("runs", "run_id"),
            new Table("run_steps", "step_id"),
            new Table("run_calls", "run_id, step_seq, seq"),
            new Table("audit_log", "id"),
            new Table("event_log_head", "id"),
            new Table("events", "sequence"),
            new Table("command_receipts", "command_id"),
            new Table("projector_cursors", "projector"),
            new Table("projection_projects", "project_id"),
            new Table("projection_threads", "thread_id"),
            new Table("projection_turns", "turn_id"),
            new Table("projection_messages", "message_id"),
            new Table("projection_checkpoints", "thread_id, turn_id"),
            new Table("projection_pending_approvals", "approval_id"),
            new Table("projection_settings", "setting_key"),
            new Table("goals", "goal_id"),
            new Table("goal_tasks", "goal_id, task_id"),
            new Table("goal_task_dependencies", "goal_id, task_id, depends_on"),
            new Table("goal_proofs", "goal_id"),
            new Table("goal_budget_checkpoints", "checkpoint_id"),
            new Table("goal_artifacts", "artifact_id"),
            new Table("goal_decisions", "decision_id"),
            new Table("goal_slice_leases", "lease_id"));

    private CopyTables() {}

    /** Tables of the store that {@link #TABLES} does not name (and that are not bookkeeping). */
    public static List<String> unlisted(Connection connection, Dialect dialect) throws SQLException {
        List<String> unlisted = new ArrayList<>();
        for (String name : dialect.tables(connection)) {
            if (!BOOKKEEPING.contains(name) && !DERIVED.contains(name)
                    && TABLES.stream().noneMatch(t -> t.name().equals(name))) {
                unlisted.add(name);
            }
        }
        return unlisted;
    }
}
