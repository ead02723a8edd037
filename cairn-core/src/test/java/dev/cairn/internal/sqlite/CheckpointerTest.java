package dev.cairn.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Backends;
import dev.cairn.Cairn;
import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL of a store that writes stays bounded with no explicit checkpoint, the checkpoints never hold writers back,
 * and the checkpointer's thread lives only as long as its writable store, on real SQLite files.
 */
class CheckpointerTest {
    /** Without any checkpoint 20k appends leave a WAL many times {@link #BOUND}. */
    private static final int APPENDS = 20_000;
    private static final long PAGE_FRAME = 24 + 4096;
    /** The catch-up point, plus a threshold's worth for the commits that land while a pass runs. */
    private static final long BOUND = 32 + (Checkpointer.CATCH_UP_FACTOR + 1L) * Checkpointer.PAGES * PAGE_FRAME;
    private static final String PADDING = "p".repeat(300);

    @TempDir
    Path dir;

    @Test
    void theWalStaysBoundedUnderSustainedWritesWithoutAnExplicitCheckpoint() throws Exception {
        Path file = dir.resolve("bounded.db");
        File wal = new File(file + "-wal");
        long largest = 0;
        boolean threadSeen = false;
        try (Cairn db = Cairn.open(file)) {
            for (int i = 0; i < APPENDS; i++) {
                db.events().append("s:" + (i % 50), ExpectedVersion.any(),
                        EventData.of("x.appended", "{\"n\":" + i + ",\"padding\":\"" + PADDING + "\"}"));
                largest = Math.max(largest, wal.length());
                if (i % 1000 == 0) {
                    threadSeen |= !checkpointerThreads(file).isEmpty();
                }
            }
            threadSeen |= !checkpointerThreads(file).isEmpty();
        }
        System.out.printf("bounded WAL: largest %d KiB, bound %d KiB%n", largest / 1024, BOUND / 1024);
        // Past the threshold, so the checkpointer had work; below the bound, so it kept up.
        assertThat(largest).as("the largest WAL size in bytes")
                .isGreaterThan(32 + Checkpointer.PAGES * PAGE_FRAME).isLessThan(BOUND);
        assertThat(threadSeen).as("the checkpointer thread ran").isTrue();
        assertThat(checkpointerThreads(file)).as("checkpointer threads left after close").isEmpty();
    }

    @Test
    void writersAreNeverHeldBackByCheckpointsWhileAReaderPinsTheLog() throws Exception {
        Path file = dir.resolve("pinned.db");
        try (Cairn db = Cairn.open(file)) {
            db.events().append("seed:0", ExpectedVersion.noStream(), EventData.of("x.seeded", "{}"));
        }
        int appenders = 2;
        long runNanos = TimeUnit.SECONDS.toNanos(3);
        Duration bound = Duration.ofSeconds(1);
        CyclicBarrier start = new CyclicBarrier(appenders + 1);
        AtomicLong longestGap = new AtomicLong();
        AtomicInteger appends = new AtomicInteger();
        AtomicBoolean pinned = new AtomicBoolean();
        ExecutorService pool = Executors.newCachedThreadPool();
        List<Future<?>> actors = new ArrayList<>();
        File wal = new File(file + "-wal");
        long walAtEnd;
        try (Cairn db = Cairn.open(file); Connection reader = Backends.connect(file.toString());
                Statement statement = reader.createStatement()) {
            // The reader pins the snapshot it read, so no checkpoint can copy past it: the log only grows.
            statement.execute("BEGIN");
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM events")) {
                rows.next();
            }
            pinned.set(true);
            long end = System.nanoTime() + runNanos;
            for (int a = 0; a < appenders; a++) {
                String stream = "appender:" + a;
                actors.add(pool.submit(() -> {
                    start.await();
                    long last = System.nanoTime();
                    while (last < end) {
                        db.events().append(stream, ExpectedVersion.any(),
                                EventData.of("x.appended", "{\"padding\":\"" + PADDING.repeat(4) + "\"}"));
                        long now = System.nanoTime();
                        longestGap.accumulateAndGet(now - last, Math::max);
                        appends.incrementAndGet();
                        last = now;
                    }
                    return null;
                }));
            }
            start.await();
            for (Future<?> actor : actors) {
                actor.get(runNanos + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
            }
            walAtEnd = wal.length();
            assertThat(checkpointerThreads(file)).as("the checkpointer was started").isNotEmpty();
            statement.execute("COMMIT");
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("pinned reader: %d appends, WAL %d KiB, longest gap %d ms%n", appends.get(),
                walAtEnd / 1024, longestGap.get() / 1_000_000);
        assertThat(pinned).isTrue();
        assertThat(walAtEnd).as("the WAL grew past the catch-up point, so commits tried to checkpoint too")
                .isGreaterThan(BOUND);
        assertThat(appends.get()).as("appends").isGreaterThan(appenders);
        assertThat(Duration.ofNanos(longestGap.get())).as("the longest wait for an acknowledged append")
                .isLessThan(bound);
        assertThat(checkpointerThreads(file)).as("checkpointer threads left after close").isEmpty();
    }

    @Test
    void aReadOnlyStoreStartsNoCheckpointer() throws Exception {
        Path file = dir.resolve("read-only.db");
        try (Cairn db = Cairn.open(file)) {
            for (int i = 0; i < 2_000; i++) {
                db.events().append("s:1", ExpectedVersion.any(), EventData.of("x.appended", "{\"padding\":\""
                        + PADDING + "\"}"));
            }
            // A writable store under the same load does start one: the control for the assertion below.
            assertThat(checkpointerThreads(file)).isNotEmpty();
            try (Cairn readOnly = Cairn.builder().path(file).readOnly(true).open()) {
                for (int i = 0; i < 100; i++) {
                    assertThat(events(readOnly)).isPositive();
                }
                assertThat(checkpointerThreads(file)).hasSize(1);
            }
        }
        try (Cairn readOnly = Cairn.builder().path(file).readOnly(true).open()) {
            assertThat(events(readOnly)).isEqualTo(2_000);
            assertThat(checkpointerThreads(file)).isEmpty();
        }
    }

    /** {@code wal_autocheckpoint = 0} is Cairn's writer's alone: a raw SQLite writer of the same file keeps SQLite's. */
    @Test
    void aRawWriterOfTheSameFileStillCheckpointsBySqliteDefaults() throws Exception {
        Path file = dir.resolve("raw.db");
        File wal = new File(file + "-wal");
        long largest = 0;
        try (Cairn db = Cairn.open(file); Connection raw = Backends.connect(file.toString());
                Statement statement = raw.createStatement()) {
            statement.execute("PRAGMA journal_mode = WAL");
            statement.execute("CREATE TABLE raw_rows (n INTEGER PRIMARY KEY, padding TEXT)");
            try (PreparedStatement insert = raw.prepareStatement("INSERT INTO raw_rows VALUES (?, ?)")) {
                for (int i = 0; i < 20_000; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, PADDING);
                    insert.executeUpdate();
                    largest = Math.max(largest, wal.length());
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM raw_rows")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(20_000);
            }
            assertThat(checkpointerThreads(file)).as("Cairn wrote nothing, so it checkpointed nothing").isEmpty();
        }
        // SQLite's default checkpoints at 1000 pages, on the committing connection.
        assertThat(largest).isGreaterThan(0).isLessThan(32 + 2L * Checkpointer.PAGES * PAGE_FRAME);
    }

    private static long events(Cairn db) {
        try (var events = db.events().readStream("s:1", 0)) {
            return events.count();
        }
    }

    private static List<Thread> checkpointerThreads(Path file) {
        String name = Checkpointer.THREAD_NAME + " " + file;
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(name) && thread.isAlive()).toList();
    }
}
