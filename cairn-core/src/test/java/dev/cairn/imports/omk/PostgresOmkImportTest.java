package dev.cairn.imports.omk;

import dev.cairn.PostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The omk import's tests once more on PostgreSQL, each in a fresh schema. */
class PostgresOmkImportTest extends OmkImportTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
