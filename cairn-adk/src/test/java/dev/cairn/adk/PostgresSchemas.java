package dev.cairn.adk;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh schema on the PostgreSQL server at 127.0.0.1:5432 (user postgres, database test) per test, as cairn-core's
 * contract tests use; skipped with a message where no server answers, except in CI.
 */
final class PostgresSchemas {
    static final String SERVER = System.getProperty("cairn.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private PostgresSchemas() {}

    static String create() {
        String schema = "cairn_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("CI must run the PostgreSQL tests, but " + e.getMessage(), e);
            }
            assumeTrue(false, "skipping the PostgreSQL half: " + e.getMessage());
        }
        return schema;
    }

    static String url(String schema) {
        return SERVER + "&currentSchema=" + schema;
    }

    static void drop(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
