package dev.cairn.internal.sqlite;

import dev.cairn.maintenance.IntegrityReport;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Read-only questions about a SQLite database, shared by the open store and by {@code doctor}. */
final class SqliteInspector {
    private SqliteInspector() {}

    static IntegrityReport integrity(Connection connection) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
                while (rows.next()) {
                    String line = rows.getString(1);
                    if (!"ok".equals(line)) {
                        problems.add("integrity: " + line);
                    }
                }
            }
            try (ResultSet rows = statement.executeQuery("PRAGMA foreign_key_check")) {
                while (rows.next()) {
                    problems.add("foreign key: row " + rows.getLong(2) + " of " + rows.getString(1)
                            + " refers to a missing row of " + rows.getString(3));
                }
            }
        }
        return new IntegrityReport(problems);
    }

    static String journalMode(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
            return rows.next() ? rows.getString(1) : "unknown";
        }
    }
}
