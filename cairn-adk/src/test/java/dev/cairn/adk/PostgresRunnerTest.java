package dev.cairn.adk;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The Runner on PostgreSQL, in a fresh schema. */
class PostgresRunnerTest extends RunnerTest {
    String schema;

    @BeforeEach
    void createSchema() {
        schema = PostgresSchemas.create();
    }

    @Override
    String location() {
        return PostgresSchemas.url(schema);
    }

    @AfterEach
    void dropSchema() throws Exception {
        PostgresSchemas.drop(schema);
    }
}
