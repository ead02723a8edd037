package dev.cairn.adk;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The same two processes on PostgreSQL, in a fresh schema. */
class PostgresTwoProcessesTest extends TwoProcessesTest {
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
