package dev.cairn.events.internal;

import dev.cairn.events.LogPosition;
import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The SQL of {@code projector_cursors}: how far each projector has applied the log.
 *
 * <p>A caught-up projector is <em>live</em>: its cursor holds {@link #LIVE} and it follows the log, each append
 * applying its events in the append's own transaction (an append only reads the cursor, it writes no row for it). A
 * projector that is behind (being rebuilt) holds the position it has applied up to; appends leave it alone until its
 * rebuild reaches the end of the log and makes it live again, in the same write transaction as its last batch.
 */
final class ProjectorCursors {
    /** A projector's position: null {@code applied} when it is live. */
    record Position(String projector, LogPosition applied, Instant updatedAt) {}

    /** The stored sequence of a projector that follows the log. */
    static final long LIVE = -1;

    private ProjectorCursors() {}

    /** Whether appends project into this projector now. */
    static boolean isLive(Connection connection, String projector) throws SQLException {
        return Sql.longValue(connection, "SELECT last_applied_sequence FROM projector_cursors WHERE projector = ?",
                LIVE, projector) == LIVE;
    }

    /** Marks a projector behind, having applied the log up to {@code applied}. */
    static void set(Connection connection, String projector, LogPosition applied, Instant now) throws SQLException {
        set(connection, projector, applied.transactionOrder(), applied.sequence(), now);
    }

    /** Marks a projector live: appends project into it from now on. */
    static void setLive(Connection connection, String projector, Instant now) throws SQLException {
        set(connection, projector, 0, LIVE, now);
    }

    private static void set(Connection connection, String projector, long order, long sequence, Instant now)
            throws SQLException {
        Sql.update(connection, "INSERT INTO projector_cursors (projector, last_applied_tx_order, "
                + "last_applied_sequence, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (projector) DO UPDATE SET "
                + "last_applied_tx_order = excluded.last_applied_tx_order, "
                + "last_applied_sequence = excluded.last_applied_sequence, updated_at = excluded.updated_at",
                projector, order, sequence, now);
    }

    /** How far a projector that is behind has applied the log ({@link LogPosition#START} when it has no row). */
    static LogPosition applied(Connection connection, String projector) throws SQLException {
        return Sql.one(connection, "SELECT last_applied_tx_order, last_applied_sequence FROM projector_cursors "
                + "WHERE projector = ?", ProjectorCursors::applied, projector).orElse(LogPosition.START);
    }

    static List<Position> all(Connection connection) throws SQLException {
        return Sql.list(connection, "SELECT projector, last_applied_tx_order, last_applied_sequence, updated_at "
                + "FROM projector_cursors ORDER BY projector", row -> new Position(row.getString(1),
                        row.getLong(3) == LIVE ? null : new LogPosition(row.getLong(2), row.getLong(3)),
                        Instant.ofEpochMilli(row.getLong(4))));
    }

    private static LogPosition applied(java.sql.ResultSet row) throws SQLException {
        return row.getLong(2) == LIVE ? LogPosition.START : new LogPosition(row.getLong(1), row.getLong(2));
    }
}
