package dev.cairn.events;

import dev.cairn.PostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/*
 * The event log's tests once more on PostgreSQL, each in a fresh schema: many writers at once there, each in its own
 * transaction, so the head row's lock (not SQLite's write lock) must keep sequences and versions in order.
 */

class PostgresEventLogTest extends EventLogTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresCatalogueRoundTripTest extends CatalogueRoundTripTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresConcurrentAppendTest extends ConcurrentAppendTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresConstantMemoryReplayTest extends ConstantMemoryReplayTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresSubscriptionCloseTest extends SubscriptionCloseTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresEventIdBytesMigrationTest extends EventIdBytesMigrationTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
