package dev.cairn.adk;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The same tests on PostgreSQL, each in a fresh schema. */
class PostgresCairnSessionServiceTest extends CairnSessionServiceTest {
    String schema;

    @Override
    String location() {
        return PostgresSchemas.url(schema);
    }

    @Override
    @BeforeEach
    void open() {
        if (schema == null) {
            schema = PostgresSchemas.create();
        }
        super.open();
    }

    @AfterEach
    void dropSchema() throws Exception {
        PostgresSchemas.drop(schema);
    }
}
