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

class PostgresDurableRunTest extends DurableRunTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }

    String other;

    @Override
    String otherLocation() {
        try {
            other = PostgresSchema.createSchema();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return PostgresSchema.urlOf(other);
    }

    @org.junit.jupiter.api.AfterEach
    void dropOther() throws java.sql.SQLException {
        if (other != null) {
            PostgresSchema.dropSchema(other);
        }
    }
}

class PostgresDurableRunMigrationTest extends DurableRunMigrationTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

/* On PostgreSQL a dead owner is seen only by its heartbeat's age: no process table is trusted across hosts. */
class PostgresDurableRunProcessTest extends DurableRunProcessTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }

    @Override
    int trials() {
        return Integer.getInteger("cairn.durable.trials.postgres", 6);
    }
}
