package dev.cairn.adk;

import dev.cairn.PostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Runner on PostgreSQL, in a fresh schema. */
class PostgresRunnerTest extends RunnerTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
