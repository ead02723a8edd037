package dev.cairn.events.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cairn.events.orchestration.CheckpointStatus;
import dev.cairn.events.orchestration.ThreadEvent;
import dev.cairn.events.orchestration.TurnState;
import dev.cairn.internal.Json;
import dev.cairn.internal.Sql;
import dev.cairn.projections.TurnView;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The SQL of {@code projection_turns}. */
final class TurnRows {
    private static final String COLUMNS = "turn_id, thread_id, ordinal, state, requested_at, started_at, "
            + "completed_at, checkpoint_ref, checkpoint_status, changed_files";
    private static final TypeReference<List<String>> FILES = new TypeReference<>() {};

    /** The ids of a thread's turns after an ordinal, binding (threadId, ordinal): what a revert cascades to. */
    static final String TURNS_AFTER = "(SELECT turn_id FROM projection_turns WHERE thread_id = ? AND ordinal > ?)";

    private TurnRows() {}

    static void requested(Connection c, ThreadEvent.TurnStartRequested e, long ordinal, Instant at)
            throws SQLException {
        Sql.update(c, "INSERT INTO projection_turns (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, "
                + "'[]')", e.turnId(), e.threadId(), ordinal, TurnState.REQUESTED, at);
    }

    static void started(Connection c, ThreadEvent.TurnStarted e, Instant at) throws SQLException {
        Sql.update(c, "UPDATE projection_turns SET state = ?, started_at = ? WHERE turn_id = ? AND thread_id = ?",
                TurnState.RUNNING, at, e.turnId(), e.threadId());
    }

    static void interrupted(Connection c, ThreadEvent.TurnInterrupted e, Instant at) throws SQLException {
        Sql.update(c, "UPDATE projection_turns SET state = ?, completed_at = ? WHERE turn_id = ? AND thread_id = ?",
                TurnState.INTERRUPTED, at, e.turnId(), e.threadId());
    }

    static void completed(Connection c, ThreadEvent.TurnCompleted e, Instant at) throws SQLException {
        Sql.update(c, "UPDATE projection_turns SET state = ?, completed_at = ?, checkpoint_ref = ?, "
                + "checkpoint_status = ?, changed_files = ? WHERE turn_id = ? AND thread_id = ?",
                e.error() == null ? TurnState.COMPLETED : TurnState.ERROR, at, e.checkpointRef(),
                e.checkpointStatus(), Json.write(e.changedFiles()), e.turnId(), e.threadId());
    }

    /** The ordinal of a turn of the thread, or -1 when there is no such turn. */
    static long ordinal(Connection c, String threadId, String turnId) throws SQLException {
        return Sql.longValue(c, "SELECT ordinal FROM projection_turns WHERE turn_id = ? AND thread_id = ?", -1,
                turnId, threadId);
    }

    static void deleteAfter(Connection c, String threadId, long ordinal) throws SQLException {
        Sql.update(c, "DELETE FROM projection_turns WHERE thread_id = ? AND ordinal > ?", threadId, ordinal);
    }

    static void deleteOfThread(Connection c, String threadId) throws SQLException {
        Sql.update(c, "DELETE FROM projection_turns WHERE thread_id = ?", threadId);
    }

    static void clear(Connection c) throws SQLException {
        Sql.update(c, "DELETE FROM projection_turns");
    }

    static List<TurnView> ofThread(Connection c, String threadId) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM projection_turns WHERE thread_id = ? ORDER BY ordinal",
                TurnRows::map, threadId);
    }

    static List<String> files(String json) {
        try {
            return Json.parse(json, FILES);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a changed-files column holds invalid JSON: " + json, e);
        }
    }

    private static TurnView map(ResultSet row) throws SQLException {
        String status = row.getString(9);
        return new TurnView(row.getString(1), row.getString(2), row.getLong(3), TurnState.fromStored(row.getString(4)),
                Instant.ofEpochMilli(row.getLong(5)), Sql.nullableInstant(row, "started_at"),
                Sql.nullableInstant(row, "completed_at"), row.getString(8),
                status == null ? null : CheckpointStatus.fromStored(status), files(row.getString(10)));
    }
}
