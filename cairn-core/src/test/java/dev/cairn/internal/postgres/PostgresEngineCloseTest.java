package dev.cairn.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Durability;
import dev.cairn.PostgresSchema;
import dev.cairn.TransactionStateException;
import dev.cairn.internal.Engine;
import dev.cairn.internal.StoreConfig;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Closing a PostgreSQL engine while a write holds a connection: close waits, at most the busy timeout. */
class PostgresEngineCloseTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Test
    void closeWaitsForTheWriteInFlightThenRefusesNewOnes() throws Exception {
        PostgresEngine engine = new PostgresEngine(SCHEMA.url(), new StoreConfig(Durability.NORMAL,
                Duration.ofSeconds(10), 2, false, Clock.systemUTC()));
        Engine.WriteLease lease = engine.acquireWriter("the test's write");
        lease.connection().setAutoCommit(false);
        try (Statement statement = lease.connection().createStatement()) {
            statement.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
        }
        Thread closer = new Thread(engine::close);
        closer.start();
        closer.join(300);
        assertThat(closer.isAlive()).as("close waits for the write in flight").isTrue();
        assertThatThrownBy(() -> engine.acquireWriter("a write after close"))
                .isInstanceOf(TransactionStateException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> engine.read(c -> 1)).isInstanceOf(TransactionStateException.class);
        assertThatThrownBy(() -> engine.readStatement(c -> 1)).isInstanceOf(TransactionStateException.class);
        lease.connection().commit();
        lease.close();
        closer.join(10_000);
        assertThat(closer.isAlive()).as("close ends once the write is done").isFalse();
    }

    @Test
    void closeGivesUpOnAWriteThatOutlastsTheBusyTimeout() throws Exception {
        PostgresEngine engine = new PostgresEngine(SCHEMA.url(), new StoreConfig(Durability.NORMAL,
                Duration.ofMillis(300), 2, false, Clock.systemUTC()));
        Engine.WriteLease lease = engine.acquireWriter("a write that never ends");
        long started = System.nanoTime();
        engine.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300),
                Duration.ofSeconds(10));
        lease.close();
    }
}
