package dev.cairn.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Durability;
import dev.cairn.TransactionStateException;
import dev.cairn.internal.Engine;
import dev.cairn.internal.StoreConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing a SQLite engine while its readers and its writer are in use, on real threads released by a barrier. */
class SqliteEngineCloseTest {
    static final int ROUNDS = 60;

    @TempDir
    Path dir;

    private SqliteEngine engine(String name, Duration busyTimeout, int readers) {
        return new SqliteEngine(dir.resolve(name), new StoreConfig(Durability.NORMAL, busyTimeout, readers, false,
                Clock.systemUTC()));
    }

    /**
     * Readers handed back while the engine closes must all end closed: a reader returned into the pool after close
     * drained it stayed open for good. Many rounds, because each round's close lands at a different point.
     */
    @Test
    void noReaderStaysOpenWhenReadsRaceClose() throws Exception {
        int threads = 4;
        AtomicLong reads = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        Set<Connection> seen = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < ROUNDS; round++) {
            SqliteEngine engine = engine("race-" + round + ".db", Duration.ofSeconds(5), 2);
            CyclicBarrier start = new CyclicBarrier(threads + 1);
            List<Thread> readers = new ArrayList<>();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            for (int t = 0; t < threads; t++) {
                Thread reader = new Thread(() -> {
                    try {
                        start.await();
                        while (true) {
                            engine.read(c -> {
                                seen.add(c);
                                return query(c);
                            });
                            reads.incrementAndGet();
                        }
                    } catch (TransactionStateException closed) {
                        refused.incrementAndGet();
                    } catch (Throwable e) {
                        unexpected.compareAndSet(null, e);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            start.await();
            TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextInt(2_000));
            engine.close();
            for (Thread reader : readers) {
                reader.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(reader.isAlive()).isFalse();
            }
            assertThat(unexpected.get()).as("a read failed other than by the store being closed").isNull();
        }
        assertThat(reads.get()).as("reads that ran before the close").isPositive();
        assertThat(refused.get()).as("reads refused because the store was closed").isEqualTo((long) ROUNDS * threads);
        assertThat(seen).isNotEmpty();
        List<Connection> open = new ArrayList<>();
        for (Connection connection : seen) {
            if (!connection.isClosed()) {
                open.add(connection);
            }
        }
        assertThat(open).as("reader connections left open after close").isEmpty();
    }

    /** A read in flight when close begins finishes on its connection; close waits for it, then closes that reader. */
    @Test
    void closeWaitsForAReadInFlightAndThenClosesItsReader() throws Exception {
        SqliteEngine engine = engine("read.db", Duration.ofSeconds(10), 2);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicReference<Connection> used = new AtomicReference<>();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                outcome.set(engine.read(c -> {
                    used.set(c);
                    reading.countDown();
                    try {
                        finish.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return query(c);
                }));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        reader.start();
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(engine::close);
        closer.start();
        closer.join(300);
        assertThat(closer.isAlive()).as("close waits for the read in flight").isTrue();
        assertThatThrownBy(() -> engine.read(Query::run)).isInstanceOf(TransactionStateException.class)
                .hasMessageContaining("is closed");
        finish.countDown();
        reader.join(10_000);
        closer.join(10_000);
        assertThat(outcome.get()).isEqualTo(1L);
        assertThat(used.get().isClosed()).isTrue();
    }

    /**
     * Close waits for the write in flight (a transaction holding the writer), and a write that comes after close began
     * fails with a typed exception naming the store; past the busy timeout close goes ahead and says so in the log.
     */
    @Test
    void closeWaitsForTheWriteInFlightAndLogsWhenItGivesUp() throws Exception {
        SqliteEngine engine = engine("write.db", Duration.ofMillis(500), 2);
        Engine.WriteLease lease = engine.acquireWriter("the test's long write");
        exec(lease.connection(), "BEGIN IMMEDIATE");
        exec(lease.connection(), "CREATE TABLE t (id INTEGER PRIMARY KEY)");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        long started = System.nanoTime();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Thread closer = new Thread(engine::close);
            closer.start();
            closer.join(200);
            assertThat(closer.isAlive()).as("close waits for the write in flight").isTrue();
            assertThatThrownBy(() -> engine.acquireWriter("a write after close"))
                    .isInstanceOf(TransactionStateException.class)
                    .hasMessageContaining("the store at " + dir.resolve("write.db") + " is closed");
            closer.join(10_000);
            assertThat(closer.isAlive()).isFalse();
        } finally {
            System.setErr(original);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("closing " + dir.resolve("write.db"))
                .contains("the test's long write");
        assertThatThrownBy(() -> exec(lease.connection(), "COMMIT")).isInstanceOf(SQLException.class);
        lease.close();
    }

    private interface Query {
        static Long run(Connection connection) throws SQLException {
            return query(connection);
        }
    }

    private static Long query(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); var rows = statement.executeQuery("SELECT 1")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void exec(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

}
