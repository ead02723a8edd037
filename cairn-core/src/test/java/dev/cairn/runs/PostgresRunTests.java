package dev.cairn.runs;

import dev.cairn.PostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/* The run ledger's tests once more on PostgreSQL, each in a fresh schema (RedactionTest reads SQLite's files). */

class PostgresRunLedgerTest extends RunLedgerTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresPruneTest extends PruneTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresRunOwnershipTest extends RunOwnershipTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
