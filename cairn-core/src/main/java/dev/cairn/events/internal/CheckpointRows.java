package dev.cairn.events.internal;

import dev.cairn.events.orchestration.CheckpointStatus;
import dev.cairn.events.orchestration.ThreadEvent;
import dev.cairn.internal.Json;
import dev.cairn.internal.Sql;
import dev.cairn.projections.CheckpointView;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The SQL of {@code projection_checkpoints}. */
final class CheckpointRows {
    private CheckpointRows() {}

    static void taken(Connection c, ThreadEvent.TurnCompleted e, Instant at) throws SQLException {
        Sql.update(c, "INSERT INTO projection_checkpoints (thread_id, turn_id, checkpoint_ref, status, changed_files, "
                + "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (thread_id, turn_id) DO UPDATE SET "
                + "checkpoint_ref = excluded.checkpoint_ref, status = excluded.status, "
                + "changed_files = excluded.changed_files, created_at = excluded.created_at",
                e.threadId(), e.turnId(), e.checkpointRef(), e.checkpointStatus(), Json.write(e.changedFiles()), at);
    }

    static void deleteAfterTurn(Connection c, String threadId, long ordinal) throws SQLException {
        Sql.update(c, "DELETE FROM projection_checkpoints WHERE thread_id = ? AND turn_id IN " + TurnRows.TURNS_AFTER,
                threadId, threadId, ordinal);
    }

    static void deleteOfThread(Connection c, String threadId) throws SQLException {
        Sql.update(c, "DELETE FROM projection_checkpoints WHERE thread_id = ?", threadId);
    }

    static void clear(Connection c) throws SQLException {
        Sql.update(c, "DELETE FROM projection_checkpoints");
    }

    static List<CheckpointView> ofThread(Connection c, String threadId) throws SQLException {
        return Sql.list(c, "SELECT k.thread_id, k.turn_id, k.checkpoint_ref, k.status, k.changed_files, k.created_at "
                + "FROM projection_checkpoints k LEFT JOIN projection_turns t ON t.turn_id = k.turn_id "
                + "WHERE k.thread_id = ? ORDER BY t.ordinal, k.created_at", row -> new CheckpointView(
                        row.getString(1), row.getString(2), row.getString(3),
                        CheckpointStatus.fromStored(row.getString(4)), TurnRows.files(row.getString(5)),
                        Instant.ofEpochMilli(row.getLong(6))), threadId);
    }
}
