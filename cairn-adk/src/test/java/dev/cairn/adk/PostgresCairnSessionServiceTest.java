package dev.cairn.adk;

import dev.cairn.PostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same tests on PostgreSQL, each in a fresh schema. */
class PostgresCairnSessionServiceTest extends CairnSessionServiceTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
