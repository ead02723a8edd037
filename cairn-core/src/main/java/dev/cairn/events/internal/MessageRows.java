package dev.cairn.events.internal;

import dev.cairn.events.orchestration.Role;
import dev.cairn.events.orchestration.ThreadEvent;
import dev.cairn.internal.Sql;
import dev.cairn.projections.MessageView;
import dev.cairn.projections.Page;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** The SQL of {@code projection_messages}. */
final class MessageRows {
    private static final String COLUMNS = "message_id, thread_id, turn_id, role, text, streaming, created_sequence, "
            + "created_at, updated_at";

    private MessageRows() {}

    static void sent(Connection c, ThreadEvent.MessageSent e, long sequence, Instant at) throws SQLException {
        Sql.update(c, "INSERT INTO projection_messages (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.messageId(), e.threadId(), e.turnId(), e.role(), e.text(), e.streaming() ? 1 : 0, sequence, at, at);
    }

    static void deltaAppended(Connection c, ThreadEvent.MessageDeltaAppended e, Instant at) throws SQLException {
        Sql.update(c, "UPDATE projection_messages SET text = text || ?, updated_at = ? "
                + "WHERE message_id = ? AND thread_id = ?", e.delta(), at, e.messageId(), e.threadId());
    }

    static void completed(Connection c, ThreadEvent.MessageCompleted e, Instant at) throws SQLException {
        Sql.update(c, "UPDATE projection_messages SET streaming = 0, updated_at = ? "
                + "WHERE message_id = ? AND thread_id = ?", at, e.messageId(), e.threadId());
    }

    static void deleteOfThread(Connection c, String threadId) throws SQLException {
        Sql.update(c, "DELETE FROM projection_messages WHERE thread_id = ?", threadId);
    }

    /** Deletes the messages of the thread's turns after the given ordinal. */
    static void deleteAfterTurn(Connection c, String threadId, long ordinal) throws SQLException {
        Sql.update(c, "DELETE FROM projection_messages WHERE thread_id = ? AND turn_id IN " + TurnRows.TURNS_AFTER,
                threadId, threadId, ordinal);
    }

    static void clear(Connection c) throws SQLException {
        Sql.update(c, "DELETE FROM projection_messages");
    }

    /** Oldest first; the cursor is the created sequence of the last message of the previous page. */
    static Page<MessageView> page(Connection c, String threadId, int limit, Long cursor) throws SQLException {
        return PageOf.rows(Sql.list(c, "SELECT " + COLUMNS + " FROM projection_messages WHERE thread_id = ? "
                + "AND created_sequence > ? ORDER BY created_sequence LIMIT ?",
                row -> new PageOf.Keyed<>(row.getLong(7), map(row)), threadId, cursor == null ? 0L : cursor,
                limit + 1), limit);
    }

    private static MessageView map(ResultSet row) throws SQLException {
        return new MessageView(row.getString(1), row.getString(2), row.getString(3), Role.fromStored(row.getString(4)),
                row.getString(5), row.getInt(6) != 0, Instant.ofEpochMilli(row.getLong(8)),
                Instant.ofEpochMilli(row.getLong(9)));
    }
}
