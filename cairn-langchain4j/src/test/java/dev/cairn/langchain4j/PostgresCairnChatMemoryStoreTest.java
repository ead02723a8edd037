package dev.cairn.langchain4j;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The same tests on PostgreSQL, each in a fresh schema. */
class PostgresCairnChatMemoryStoreTest extends CairnChatMemoryStoreTest {
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
