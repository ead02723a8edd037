package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.maintenance.BackupOptions;
import dev.cairn.maintenance.CheckpointResult;
import java.nio.file.Path;
import java.sql.Connection;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stall detector: writers keep appending while backups and checkpoints run over and over, with a long reader pinned
 * for longer than the bound, the way a long backup pins its snapshot, and no writer may go {@link #BOUND} without an acknowledged
 * append. Each actor opens the store on its own, so their locks meet as those of separate processes do.
 *
 * <p>This is how a TRUNCATE checkpoint was found to hold the write lock while it waited (for the busy timeout) for a
 * pinned reader, stopping every writer. {@code -Dcairn.stall.seconds=N} runs longer (default 4).
 */
class BackupStallTest {
    private static final Duration BOUND = Duration.ofSeconds(2);
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(Integer.getInteger("cairn.stall.seconds", 4));
    private static final int APPENDERS = 3;

    @TempDir
    Path dir;

    @Test
    void writersKeepBeingAcknowledgedWhileBackupsAndCheckpointsRun() throws Exception {
        Path file = dir.resolve("busy.db");
        try (Cairn db = Cairn.open(file)) {
            db.events().append("seed:0", ExpectedVersion.noStream(), EventData.of("x.seeded", "{}"));
        }
        ExecutorService pool = Executors.newCachedThreadPool();
        CyclicBarrier start = new CyclicBarrier(APPENDERS + 2);
        long started = System.nanoTime();
        long end = started + RUN_NANOS;
        AtomicLong longestGap = new AtomicLong();
        AtomicInteger appends = new AtomicInteger();
        AtomicInteger backups = new AtomicInteger();
        AtomicInteger checkpoints = new AtomicInteger();
        AtomicInteger truncated = new AtomicInteger();
        List<Future<?>> actors = new ArrayList<>();
        try (Cairn writers = Cairn.open(file);
                Cairn maintenance = Cairn.builder().path(file).busyTimeout(Duration.ofSeconds(5)).open()) {
            for (int a = 0; a < APPENDERS; a++) {
                String stream = "appender:" + a;
                actors.add(pool.submit(() -> {
                    start.await();
                    long last = System.nanoTime();
                    while (last < end) {
                        writers.events().append(stream, ExpectedVersion.any(),
                                EventData.of("x.appended", "{\"padding\":\"" + "p".repeat(200) + "\"}"));
                        long now = System.nanoTime();
                        longestGap.accumulateAndGet(now - last, Math::max);
                        appends.incrementAndGet();
                        last = now;
                    }
                    return null;
                }));
            }
            actors.add(pool.submit(() -> {
                start.await();
                for (int n = 0; System.nanoTime() < end; n++) {
                    maintenance.backupTo(dir.resolve("copy.db"), BackupOptions.defaults().withOverwrite(true));
                    backups.incrementAndGet();
                    CheckpointResult result = maintenance.checkpoint();
                    checkpoints.incrementAndGet();
                    if (result.complete()) {
                        truncated.incrementAndGet();
                    }
                }
                return null;
            }));
            // A reader that keeps one snapshot for longer than the bound, as a backup of a large store does: a checkpoint
            // that waits for it while holding the write lock stops every writer.
            actors.add(pool.submit(() -> {
                start.await();
                try (Connection reader = Backends.connect(file.toString());
                        Statement statement = reader.createStatement()) {
                    while (System.nanoTime() < end) {
                        statement.execute("BEGIN");
                        try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM events")) {
                            rows.next();
                        }
                        Thread.sleep(BOUND.toMillis() + 500);
                        statement.execute("COMMIT");
                        Thread.sleep(100);
                    }
                }
                return null;
            }));
            for (Future<?> actor : actors) {
                try {
                    actor.get(end - System.nanoTime() + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("an actor hung; threads:\n" + threadDump(), e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("stall test: %d appends, %d backups, %d checkpoints (%d complete), longest gap %d ms%n",
                appends.get(), backups.get(), checkpoints.get(), truncated.get(), longestGap.get() / 1_000_000);
        assertThat(appends.get()).as("appends").isGreaterThan(APPENDERS);
        assertThat(backups.get()).as("backups").isPositive();
        assertThat(checkpoints.get()).as("checkpoints").isPositive();
        // Truncating during the run depends on finding the pinned reader between two snapshots, which a short run may
        // not; once readers and writers are gone the same checkpoint must truncate, so it never just gives up.
        try (Cairn db = Cairn.open(file)) {
            assertThat(db.checkpoint().complete()).as("a checkpoint with no reader left truncates the log").isTrue();
        }
        assertThat(Duration.ofNanos(longestGap.get())).as("the longest wait for an acknowledged append")
                .isLessThan(BOUND);
    }

    private static String threadDump() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            dump.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
            for (StackTraceElement frame : stack) {
                dump.append("    at ").append(frame).append('\n');
            }
        });
        return dump.toString();
    }
}
