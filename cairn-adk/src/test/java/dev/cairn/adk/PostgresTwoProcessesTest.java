package dev.cairn.adk;

import dev.cairn.PostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same two processes on PostgreSQL, in a fresh schema. */
class PostgresTwoProcessesTest extends TwoProcessesTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
