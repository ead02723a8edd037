package dev.cairn.events.internal;

import dev.cairn.events.orchestration.ThreadEvent;
import dev.cairn.internal.Sql;
import dev.cairn.projections.PendingApproval;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The SQL of {@code projection_pending_approvals}: a row per approval asked for and not decided yet. */
final class ApprovalRows {
    private static final String SELECT = "SELECT approval_id, thread_id, turn_id, kind, summary, requested_at "
            + "FROM projection_pending_approvals ";

    private ApprovalRows() {}

    static void requested(Connection c, ThreadEvent.ApprovalRequested e, Instant at) throws SQLException {
        Sql.update(c, "INSERT INTO projection_pending_approvals (approval_id, thread_id, turn_id, kind, summary, "
                + "requested_at) VALUES (?, ?, ?, ?, ?, ?)", e.approvalId(), e.threadId(), e.turnId(), e.kind(),
                e.summary(), at);
    }

    static void decided(Connection c, ThreadEvent.ApprovalDecided e) throws SQLException {
        Sql.update(c, "DELETE FROM projection_pending_approvals WHERE approval_id = ? AND thread_id = ?",
                e.approvalId(), e.threadId());
    }

    static void deleteAfterTurn(Connection c, String threadId, long ordinal) throws SQLException {
        Sql.update(c, "DELETE FROM projection_pending_approvals WHERE thread_id = ? AND turn_id IN "
                + TurnRows.TURNS_AFTER,
                threadId, threadId, ordinal);
    }

    static void deleteOfThread(Connection c, String threadId) throws SQLException {
        Sql.update(c, "DELETE FROM projection_pending_approvals WHERE thread_id = ?", threadId);
    }

    static void clear(Connection c) throws SQLException {
        Sql.update(c, "DELETE FROM projection_pending_approvals");
    }

    static List<PendingApproval> pending(Connection c, String threadId) throws SQLException {
        return threadId == null
                ? Sql.list(c, SELECT + "ORDER BY requested_at, approval_id", ApprovalRows::map)
                : Sql.list(c, SELECT + "WHERE thread_id = ? ORDER BY requested_at, approval_id", ApprovalRows::map,
                        threadId);
    }

    private static PendingApproval map(java.sql.ResultSet row) throws SQLException {
        return new PendingApproval(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), Instant.ofEpochMilli(row.getLong(6)));
    }
}
