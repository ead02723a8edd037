package dev.cairn.projections;

import dev.cairn.Backends;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every row of every projection table, read straight from the database, for comparing two states. */
public final class Tables {
    public static final List<String> PROJECTION_TABLES = List.of("projection_projects", "projection_threads",
            "projection_turns", "projection_messages", "projection_checkpoints", "projection_pending_approvals",
            "projection_settings");

    private Tables() {}

    public static Map<String, List<List<Object>>> snapshot(String location) throws SQLException {
        Map<String, List<List<Object>>> tables = new LinkedHashMap<>();
        try (Connection connection = Backends.connect(location);
                Statement statement = connection.createStatement()) {
            for (String table : PROJECTION_TABLES) {
                List<List<Object>> rows = new ArrayList<>();
                try (ResultSet result = statement.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2")) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        List<Object> row = new ArrayList<>(columns);
                        for (int i = 1; i <= columns; i++) {
                            row.add(result.getObject(i));
                        }
                        rows.add(row);
                    }
                }
                tables.put(table, rows);
            }
        }
        return tables;
    }
}
