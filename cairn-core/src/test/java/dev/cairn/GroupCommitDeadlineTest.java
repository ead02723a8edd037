package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.internal.Sql;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes queued behind a writer held past the busy timeout each fail within their own busy timeout, not one timeout
 * per write queued ahead of them (the group-commit leader that gives up fails every write whose time is up).
 */
class GroupCommitDeadlineTest {
    private static final Duration BUSY = Duration.ofMillis(500);
    private static final int WRITERS = 6;
    /** How much later than its busy timeout a queued write may fail: scheduling on a shared machine, not a timeout. */
    private static final double TOLERANCE = 1.5;

    @TempDir
    Path dir;

    /** One queued write's outcome: how long after it was called it returned or failed, and how. */
    private record Outcome(long id, long millis, Throwable failure) {}

    @Test
    void writesQueuedBehindATransactionOfTheSameStoreEachFailWithinTheirOwnBusyTimeout() throws Exception {
        Path file = dir.resolve("same.db");
        try (Cairn db = Cairn.builder().path(file).busyTimeout(BUSY).open()) {
            Scratch.create(db);
            // The transaction holds this store's writer (the in-process permit).
            List<Outcome> outcomes = queueBehind(db, db::begin);
            assertEachFailedWithinItsBusyTimeout(outcomes, file, "the transaction opened at");
            assertLaterWritesSucceedAndFailedOnesLeftNothing(db, outcomes);
        }
    }

    @Test
    void writesQueuedBehindAnotherStoreOnTheSameFileEachFailWithinTheirOwnBusyTimeout() throws Exception {
        Path file = dir.resolve("other.db");
        try (Cairn db = Cairn.builder().path(file).busyTimeout(BUSY).open();
                Cairn other = Cairn.builder().path(file).busyTimeout(Duration.ofSeconds(30)).open()) {
            Scratch.create(db);
            // The other store's transaction holds the database's write lock, as another process would.
            List<Outcome> outcomes = queueBehind(db, other::begin);
            assertEachFailedWithinItsBusyTimeout(outcomes, file, "stayed locked by another writer");
            assertLaterWritesSucceedAndFailedOnesLeftNothing(db, outcomes);
        }
    }

    /**
     * Opens a transaction with {@code holder}, has {@link #WRITERS} threads write through {@code db}, and keeps the
     * transaction open until every one of them has returned or failed. They start behind a barrier, two at a time a
     * third of a busy timeout apart: writes that queue while a leader already waits must not wait a full timeout
     * more when they lead in turn.
     */
    private List<Outcome> queueBehind(Cairn db, Supplier<Transaction> holder)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try (Transaction held = holder.get()) {
            CyclicBarrier start = new CyclicBarrier(WRITERS);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                long id = w;
                long delay = (w / 2) * BUSY.toMillis() / 3;
                futures.add(pool.submit(() -> {
                    start.await();
                    Thread.sleep(delay);
                    return timedWrite(db, id);
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                // Generous: the old leader hand-over made the last of them wait WRITERS busy timeouts.
                outcomes.add(future.get(30, TimeUnit.SECONDS));
            }
            held.rollback();
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome timedWrite(Cairn db, long id) {
        long started = System.nanoTime();
        Throwable failure = null;
        try {
            Scratch.insert(db, id, "row " + id);
        } catch (RuntimeException e) {
            failure = e;
        }
        return new Outcome(id, (System.nanoTime() - started) / 1_000_000, failure);
    }

    private static void assertEachFailedWithinItsBusyTimeout(List<Outcome> outcomes, Path file, String holder) {
        assertThat(outcomes).hasSize(WRITERS);
        long bound = (long) (BUSY.toMillis() * TOLERANCE);
        for (Outcome outcome : outcomes) {
            assertThat(outcome.failure())
                    .as("write %d, after %d ms", outcome.id(), outcome.millis())
                    .isInstanceOf(BusyException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining(holder);
        }
        assertThat(outcomes).extracting(Outcome::millis)
                .as("each queued write fails within its own busy timeout (%d ms, tolerance %.1fx), not one timeout "
                        + "per write ahead of it", BUSY.toMillis(), TOLERANCE)
                .allSatisfy(millis -> assertThat(millis).isLessThanOrEqualTo(bound));
    }

    private void assertLaterWritesSucceedAndFailedOnesLeftNothing(Cairn db, List<Outcome> failed) throws Exception {
        assertThat(Scratch.count(db)).as("rows written by the writes that failed").isZero();
        // Queued at once with the writer free again: every one commits.
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            CyclicBarrier start = new CyclicBarrier(WRITERS);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                long id = 100 + w;
                futures.add(pool.submit(() -> {
                    start.await();
                    return timedWrite(db, id);
                }));
            }
            for (Future<Outcome> future : futures) {
                assertThat(future.get(30, TimeUnit.SECONDS).failure()).isNull();
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> ids = db.session().read(c -> Sql.list(c, "SELECT id FROM scratch ORDER BY id", r -> r.getLong(1)));
        assertThat(ids).hasSize(WRITERS).allSatisfy(id -> assertThat(id).isGreaterThanOrEqualTo(100L));
    }
}
