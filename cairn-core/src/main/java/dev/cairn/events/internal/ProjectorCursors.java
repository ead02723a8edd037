package dev.cairn.events.internal;

import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The SQL of {@code projector_cursors}: how far each projector has applied the log.
 *
 * <p>A caught-up projector is <em>live</em>: its cursor holds {@link #LIVE} and it follows the head, each append
 * applying its events in the append's own transaction (an append only reads the cursor, it writes no row for it). A
 * projector that is behind (being rebuilt) holds the sequence it has applied up to; appends leave it alone until its
 * rebuild reaches the head and makes it live again, in the same write transaction as its last batch.
 */
final class ProjectorCursors {
    /** A projector's position. */
    record Position(String projector, long lastAppliedSequence, Instant updatedAt) {}

    /** The cursor of a projector that follows the head. */
    static final long LIVE = -1;

    private ProjectorCursors() {}

    /** Whether appends project into this projector now. */
    static boolean isLive(Connection connection, String projector) throws SQLException {
        return get(connection, projector) == LIVE;
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
