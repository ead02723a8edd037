package dev.cairn.conversations;

import dev.cairn.PostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The conversation store's tests once more on PostgreSQL, each in a fresh schema. */
class PostgresConversationsTest extends ConversationsTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
