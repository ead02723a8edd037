package dev.cairn.internal.postgres;

import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity and serial sequences of a PostgreSQL store. Rows copied in with explicit ids leave a sequence behind
 * the ids in its table; {@link #advance} moves each past them, and past the position the source store's own sequence
 * had reached, so ids freed by deletions there stay unused here too.
 */
final class PostgresIdentities {
    private static final String COLUMNS = "SELECT table_name, column_name FROM information_schema.columns "
            + "WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%') "
            + "ORDER BY table_name, column_name";

    private PostgresIdentities() {}

    /** The last value each sequence handed out (0 when none yet), by {@code table.column}. */
    static Map<String, Long> positions(Connection connection) throws SQLException {
        Map<String, Long> positions = new HashMap<>();
        for (String[] column : columns(connection)) {
            String sequence = Sql.one(connection, "SELECT pg_get_serial_sequence(?, ?)", row -> row.getString(1),
                    column[0], column[1]).orElse(null);
            if (sequence != null) {
                // The sequence's name comes from the catalogue (quoted there as needed); it cannot be bound.
                positions.put(column[0] + "." + column[1], Sql.longValue(connection,
                        "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM " + sequence, 0));
            }
        }
        return positions;
    }

    /** Sets every sequence past the largest id of its column and past {@code floor}'s position for it. */
    static void advance(Connection connection, Map<String, Long> floor) throws SQLException {
        for (String[] column : columns(connection)) {
            long highest = Math.max(floor.getOrDefault(column[0] + "." + column[1], 0L), Sql.longValue(connection,
                    "SELECT COALESCE(MAX(" + Sql.quote(column[1]) + "), 0) FROM " + Sql.quote(column[0]), 0));
            Sql.one(connection, "SELECT setval(pg_get_serial_sequence(?, ?), ?, ?)", row -> row.getLong(1),
                    column[0], column[1], Math.max(highest, 1), highest > 0);
        }
    }

    private static List<String[]> columns(Connection connection) throws SQLException {
        return Sql.list(connection, COLUMNS, row -> new String[] {row.getString(1), row.getString(2)});
    }
}
