package dev.cairn.langchain4j;

import dev.cairn.PostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same tests on PostgreSQL, each in a fresh schema. */
class PostgresCairnChatMemoryStoreTest extends CairnChatMemoryStoreTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
