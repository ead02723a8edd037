package dev.cairn.adk;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The same script on PostgreSQL, in a fresh schema. */
class PostgresDifferentialTest extends DifferentialTest {
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
        close();
        db = null;
        PostgresSchemas.drop(schema);
    }
}
