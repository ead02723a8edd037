package dev.cairn.internal.events;

import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The SQL of {@code projector_cursors}: how far each projector has applied the log.
 *
 * <p>A caught-up projector's cursor equals the log's head. An append moves the cursor from the old head to the new one
 * only when it is there, in one statement, and applies the events only then: a projector that is behind (being
 * rebuilt, or new) is left alone until its rebuild reaches the head.
 */
final class ProjectorCursors {
    /** A projector's position. */
    record Position(String projector, long lastAppliedSequence, Instant updatedAt) {}

    private ProjectorCursors() {}

    /** Advances a caught-up cursor from {@code previousHead} to {@code newHead}; false when the projector is behind. */
    static boolean advanceIfCaughtUp(Connection connection, String projector, long previousHead, long newHead,
            Instant now) throws SQLException {
        return Sql.update(connection, "UPDATE projector_cursors SET last_applied_sequence = ?, updated_at = ? "
                + "WHERE projector = ? AND last_applied_sequence = ?", newHead, now, projector, previousHead) == 1;
    }

    static void set(Connection connection, String projector, long sequence, Instant now) throws SQLException {
        Sql.update(connection, "INSERT INTO projector_cursors (projector, last_applied_sequence, updated_at) "
                + "VALUES (?, ?, ?) ON CONFLICT (projector) DO UPDATE SET "
                + "last_applied_sequence = excluded.last_applied_sequence, updated_at = excluded.updated_at",
                projector, sequence, now);
    }

    static long get(Connection connection, String projector) throws SQLException {
        return Sql.longValue(connection, "SELECT last_applied_sequence FROM projector_cursors WHERE projector = ?",
                -1, projector);
    }

    static List<Position> all(Connection connection) throws SQLException {
        return Sql.list(connection, "SELECT projector, last_applied_sequence, updated_at FROM projector_cursors "
                + "ORDER BY projector", row -> new Position(row.getString(1), row.getLong(2),
                        Instant.ofEpochMilli(row.getLong(3))));
    }
}
