package dev.cairn.adk;

import dev.cairn.PostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same script on PostgreSQL, in a fresh schema. */
class PostgresDifferentialTest extends DifferentialTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
