package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.RecordedEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a store while many threads append through it: every append either returns (and its events are there when the
 * store is opened again) or fails because the store is closed; none fails half way because a connection was pulled
 * from under it. Writers start behind a barrier; each round closes at another moment.
 */
class CloseWhileWritingTest {
    static final int WRITERS = 8;
    static final int ROUNDS = 5;

    @TempDir
    Path dir;

    /** Where the stores live: SQLite files here, PostgreSQL schemas in the Postgres variant. */
    String location(int round) {
        return dir.resolve("close-" + round + ".db").toString();
    }

    @Test
    void everyAppendEitherLandsOrIsRefusedAsClosed() throws Exception {
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        for (int round = 0; round < ROUNDS; round++) {
            String location = location(round);
            Cairn db = Cairn.builder().location(location).busyTimeout(Duration.ofSeconds(10)).open();
            CyclicBarrier start = new CyclicBarrier(WRITERS + 1);
            Set<String> acked = ConcurrentHashMap.newKeySet();
            List<Throwable> unexpected = new CopyOnWriteArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String writer = "w" + w;
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                        for (int n = 0; ; n++) {
                            RecordedEvent stored = db.events().append("close:" + writer, ExpectedVersion.any(),
                                    EventData.of("load.appended", "{\"n\":" + n + "}")).get(0);
                            acked.add(stored.eventId().toString());
                        }
                    } catch (TransactionStateException closed) {
                        assertThat(closed).hasMessageContaining("is closed");
                        refused.incrementAndGet();
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                });
                thread.start();
                writers.add(thread);
            }
            start.await();
            TimeUnit.MILLISECONDS.sleep(100 + ThreadLocalRandom.current().nextInt(200));
            db.close();
            for (Thread thread : writers) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(thread.isAlive()).as("a writer still runs after close").isFalse();
            }
            assertThat(unexpected).as("appends that failed other than by the store being closed").isEmpty();
            try (Cairn reopened = Cairn.open(location)) {
                // By stream, in version order: what is stored, whether or not a transaction elsewhere on a
                // PostgreSQL server still holds followers of the whole log back.
                Set<String> stored = new java.util.HashSet<>();
                for (int w = 0; w < WRITERS; w++) {
                    reopened.events().readStream("close:w" + w, 0).forEach(e -> stored.add(e.eventId().toString()));
                }
                assertThat(stored).as("acknowledged appends after reopening").containsAll(acked);
            }
            acknowledged.addAndGet(acked.size());
        }
        assertThat(acknowledged.get()).as("appends acknowledged before the closes").isPositive();
        assertThat(refused.get()).as("writers stopped by the closes").isEqualTo((long) ROUNDS * WRITERS);
    }
}

/** The same on PostgreSQL, where closing a connection pool aborts the connections in use; a schema per round. */
class PostgresCloseWhileWritingTest extends CloseWhileWritingTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    private final List<String> schemas = new ArrayList<>();

    @Override
    String location(int round) {
        if (round == 0) {
            return SCHEMA.url();
        }
        try {
            String schema = PostgresSchema.createSchema();
            schemas.add(schema);
            return PostgresSchema.urlOf(schema);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @org.junit.jupiter.api.AfterEach
    void dropSchemas() throws java.sql.SQLException {
        for (String schema : schemas) {
            PostgresSchema.dropSchema(schema);
        }
    }
}
