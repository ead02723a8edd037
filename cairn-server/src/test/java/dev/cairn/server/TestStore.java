package dev.cairn.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.Cairn;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh store on each backend: a SQLite file in a temporary directory, or a new schema on the PostgreSQL server at
 * 127.0.0.1:5432 (user postgres, database test), dropped on close. Where no PostgreSQL answers, its half is skipped,
 * except in CI (CI=true), where its absence fails.
 */
final class TestStore implements AutoCloseable {
    static final String SERVER = System.getProperty("cairn.test.postgres",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    final String location;
    private final String schema;

    private TestStore(String location, String schema) {
        this.location = location;
        this.schema = schema;
    }

    /** The backends every server test runs on. */
    static Stream<String> backends() {
        return Stream.of("sqlite", "postgres");
    }

    static TestStore create(String backend, Path dir) throws SQLException {
        if (backend.equals("sqlite")) {
            return new TestStore(dir.resolve("cairn.db").toString(), null);
        }
        try (Connection connection = DriverManager.getConnection(SERVER)) {
            String schema = "cairn_srv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA " + schema);
            }
            return new TestStore(SERVER + "&currentSchema=" + schema, schema);
        } catch (SQLException e) {
            if (System.getenv("CI") != null) {
                throw e;
            }
            assumeTrue(false, "skipping the PostgreSQL half: " + e.getMessage());
            throw e;
        }
    }

    Cairn open() {
        return Cairn.open(location);
    }

    @Override
    public void close() throws SQLException {
        if (schema != null) {
            try (Connection connection = DriverManager.getConnection(SERVER);
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
