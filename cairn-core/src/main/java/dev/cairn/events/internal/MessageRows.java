package dev.cairn.events.internal;

import dev.cairn.InvalidInputException;
import dev.cairn.events.orchestration.Orchestration;
import dev.cairn.events.orchestration.Role;
import dev.cairn.events.orchestration.ThreadEvent;
import dev.cairn.internal.Sql;
import dev.cairn.projections.MessageView;
import dev.cairn.projections.Page;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The SQL of {@code projection_messages}. A message's text is kept exactly: deltas are joined as Java strings (so an
 * emoji split between two deltas joins again), and a high surrogate that ends the text so far waits in
 * {@code trailing_high_surrogate} for its low half, since a text column holds only whole characters. Text the
 * columns cannot keep (NUL, a surrogate without its pair inside the text) is refused, naming the event.
 */
final class MessageRows {
    private static final String COLUMNS = "message_id, thread_id, turn_id, role, text, streaming, created_sequence, "
            + "created_at, updated_at, trailing_high_surrogate";

    private MessageRows() {}

    static void sent(Connection c, ThreadEvent.MessageSent e, long sequence, Instant at) throws SQLException {
        Stored text = Stored.of(e, e.messageId(), e.text());
        Sql.update(c, "INSERT INTO projection_messages (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.messageId(), e.threadId(), e.turnId(), e.role(), text.whole(), e.streaming() ? 1 : 0, sequence, at,
                at, text.trailingHighSurrogate());
    }

    static void deltaAppended(Connection c, ThreadEvent.MessageDeltaAppended e, Instant at) throws SQLException {
        Optional<String> sofar = Sql.one(c, "SELECT text, trailing_high_surrogate FROM projection_messages "
                + "WHERE message_id = ? AND thread_id = ?", MessageRows::text, e.messageId(), e.threadId());
        if (sofar.isEmpty()) {
            return;
        }
        Stored text = Stored.of(e, e.messageId(), sofar.get() + e.delta());
        Sql.update(c, "UPDATE projection_messages SET text = ?, trailing_high_surrogate = ?, updated_at = ? "
                + "WHERE message_id = ? AND thread_id = ?", text.whole(), text.trailingHighSurrogate(), at,
                e.messageId(), e.threadId());
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
                text(row.getString(5), Sql.nullableLong(row, "trailing_high_surrogate")), row.getInt(6) != 0,
                Instant.ofEpochMilli(row.getLong(8)), Instant.ofEpochMilli(row.getLong(9)));
    }

    private static String text(ResultSet row) throws SQLException {
        return text(row.getString(1), Sql.nullableLong(row, "trailing_high_surrogate"));
    }

    private static String text(String whole, Long trailingHighSurrogate) {
        return trailingHighSurrogate == null ? whole : whole + (char) trailingHighSurrogate.intValue();
    }

    /** A message's text as its columns hold it: whole characters, and the high half of one still to come. */
    private record Stored(String whole, Integer trailingHighSurrogate) {
        static Stored of(ThreadEvent event, String messageId, String text) {
            int last = text.length() - 1;
            Stored stored = last >= 0 && Character.isHighSurrogate(text.charAt(last))
                    ? new Stored(text.substring(0, last), (int) text.charAt(last))
                    : new Stored(text, null);
            int bad = ExactText.firstUnkeepable(stored.whole());
            if (bad >= 0) {
                throw new InvalidInputException("the " + Orchestration.CATALOGUE.typeOf(event.getClass())
                        + " event on stream " + event.streamId() + " would make the text of message " + messageId
                        + " hold " + ExactText.describe(text, bad) + ", which the store cannot keep exactly; "
                        + "send text of whole characters without NUL (the event was not appended)");
            }
            return stored;
        }
    }
}
