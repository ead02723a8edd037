package dev.cairn.goals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A plain JDBC connection to a store's database, beside Cairn, for tests of what the schema itself enforces. */
final class Raw {
    private Raw() {}

    static Connection connect(String location) throws SQLException {
        return DriverManager.getConnection(location.startsWith("jdbc:") ? location : "jdbc:sqlite:" + location);
    }

    static boolean isSqlite(String location) {
        return !location.startsWith("jdbc:postgresql:");
    }
}
