package dev.cairn.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Durability;
import dev.cairn.PostgresSchema;
import dev.cairn.internal.Sql;
import dev.cairn.internal.StoreConfig;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A one-statement read runs in autocommit, its own implicit transaction (no {@code BEGIN} ahead, no {@code COMMIT}
 * round trip after), still at the readers' isolation; and the reader connection goes back to the pool ready for
 * multi-statement snapshot reads.
 */
class PostgresEngineReadTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Test
    void aOneStatementReadRunsWithoutATransactionBlockAndLeavesReadersAsTheyWere() {
        // Reads one after the other on one thread: the pool hands out the connection used last.
        PostgresEngine engine = new PostgresEngine(SCHEMA.url(), new StoreConfig(Durability.NORMAL,
                Duration.ofSeconds(10), 1, false, Clock.systemUTC()));
        try {
            for (int i = 0; i < 3; i++) {
                boolean statementRead = engine.readStatement(Connection::getAutoCommit);
                assertThat(statementRead).as("autocommit in a statement read").isTrue();
                String isolation = engine.readStatement(c -> Sql.one(c,
                        "SELECT current_setting('transaction_isolation')", row -> row.getString(1)).orElseThrow());
                assertThat(isolation).isEqualTo("repeatable read");
                boolean snapshotRead = engine.read(Connection::getAutoCommit);
                assertThat(snapshotRead).as("autocommit in a snapshot read").isFalse();
            }
        } finally {
            engine.close();
        }
    }
}
