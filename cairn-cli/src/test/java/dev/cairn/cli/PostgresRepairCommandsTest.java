package dev.cairn.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/**
 * The repair commands on a store on PostgreSQL, each test in a schema of its own, skipped where no server answers
 * (but not in CI). The schema is made before the store is filled: JUnit runs a subclass's @BeforeEach after its
 * superclass's, so it is created from {@link #location()} on first use.
 */
class PostgresRepairCommandsTest extends RepairCommandsTest {
    String schema;

    @Override
    String location() {
        if (schema == null) {
            schema = createSchema();
        }
        return PostgresCommandsTest.SERVER + "&currentSchema=" + schema;
    }

    private static String createSchema() {
        String name = "cairn_repair_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(PostgresCommandsTest.SERVER);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
            return name;
        } catch (SQLException e) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(e);
            }
            assumeTrue(false, "skipping the PostgreSQL half: no server at " + PostgresCommandsTest.SERVER + " ("
                    + e.getMessage() + ")");
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            try (Connection connection = DriverManager.getConnection(PostgresCommandsTest.SERVER);
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
