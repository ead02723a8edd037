package dev.cairn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh schema on the PostgreSQL server at 127.0.0.1:5432 (user postgres, database test) for each test, dropped
 * afterwards, so every test starts from an empty store as it does on a SQLite file in a temporary directory. Where no server answers, the class is skipped with a message, except in CI (CI=true), where
 * the PostgreSQL half must run and its absence fails the build.
 */
public final class PostgresSchema implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    static final String SERVER = System.getProperty("cairn.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private String schema;

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        String problem = reachable();
        if (problem != null) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("CI must run the PostgreSQL tests, but " + problem);
            }
            assumeTrue(false, "skipping the PostgreSQL half: " + problem);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        schema = createSchema();
    }

    /** Creates a fresh schema and returns its name, for tests that run outside JUnit's lifecycle (jqwik tries). */
    public static String createSchema() throws SQLException {
        String schema = "cairn_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection connection = DriverManager.getConnection(SERVER);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    public static void dropSchema(String schema) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** The JDBC URL of a schema made by {@link #createSchema()}. */
    public static String urlOf(String schema) {
        return SERVER + "&currentSchema=" + schema;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // every test's schema was dropped after it
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        if (schema != null) {
            dropSchema(schema);
            schema = null;
        }
    }

    /** The JDBC URL of the running test's schema. */
    public String url() {
        return urlOf(schema);
    }

    /** Null when the server answers, else why not (for skipping, or failing in CI). */
    public static String reachable() {
        try (Connection connection = DriverManager.getConnection(SERVER)) {
            return connection.isValid(5) ? null : "the server at " + SERVER + " does not answer";
        } catch (SQLException e) {
            return "no PostgreSQL server at " + SERVER + " (" + e.getMessage() + ")";
        }
    }
}
