package dev.cairn;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** What the contract tests of any package need to know of the backend under test, by the store's location. */
public final class Backends {
    private Backends() {}

    public static boolean isSqlite(String location) {
        return !location.startsWith("jdbc:postgresql:");
    }

    /** A plain JDBC connection to the store's database, beside Cairn, for looking at what the schema holds. */
    public static Connection connect(String location) throws SQLException {
        return DriverManager.getConnection(location.startsWith("jdbc:") ? location : "jdbc:sqlite:" + location);
    }
}
