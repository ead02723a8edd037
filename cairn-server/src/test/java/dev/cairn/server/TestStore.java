package dev.cairn.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.Cairn;
import dev.cairn.PostgresSchema;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.stream.Stream;

/**
 * A fresh store on each backend: a SQLite file in a temporary directory, or a new schema on the PostgreSQL server at
 * 127.0.0.1:5432 (user postgres, database test), dropped on close. Where no PostgreSQL answers, its half is skipped,
 * except in CI (CI=true), where its absence fails.
 */
final class TestStore implements AutoCloseable {
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
        String problem = PostgresSchema.reachable();
        if (problem != null && System.getenv("CI") == null) {
            assumeTrue(false, "skipping the PostgreSQL half: " + problem);
        }
        String schema = PostgresSchema.createSchema();
        return new TestStore(PostgresSchema.urlOf(schema), schema);
    }

    Cairn open() {
        return Cairn.open(location);
    }

    @Override
    public void close() throws SQLException {
        if (schema != null) {
            PostgresSchema.dropSchema(schema);
        }
    }
}
