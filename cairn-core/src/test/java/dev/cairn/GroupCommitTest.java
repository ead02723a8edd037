package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.internal.AutoCommitSession;
import dev.cairn.internal.Combinable;
import dev.cairn.internal.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
    @TempDir
    Path dir;

    /** Where a store of this test lives: a SQLite file here, a PostgreSQL schema in the Postgres variant. */
    String location(String name) {
        return dir.resolve(name).toString();
    }

    /** A write that inserts its row and then, when told to, fails: after the insert, so a rollback is needed. */
    private static void write(Cairn db, long id, boolean fail) {
        db.session().write(c -> {
            Sql.update(c, "INSERT INTO scratch (id, value) VALUES (?, ?)", id, "row " + id);
            if (fail) {
                throw new IllegalStateException("caller " + id + " fails after its insert");
            }
            return null;
        });
    }

    @Test
    void concurrentWritersAreCoalescedAndOneCallersFailureFailsOnlyThatCaller() throws Exception {
        int threads = 16;
        int perThread = 400;
        try (Cairn db = Cairn.open(location("group.db"))) {
            Scratch.create(db);
            write(db, -1, false); // the row every duplicate insert collides with
            long commitsBefore = ((AutoCommitSession) db.session()).commits();
            Set<Long> succeeded = ConcurrentHashMap.newKeySet();
            Set<Long> failed = ConcurrentHashMap.newKeySet();
            AtomicInteger duplicates = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(thread);
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        long id = thread * 1_000_000L + i;
                        boolean fail = random.nextInt(10) == 0;
                        try {
                            write(db, id, fail);
                            succeeded.add(id);
                        } catch (IllegalStateException expected) {
                            failed.add(id);
                        }
                        if (random.nextInt(20) == 0) {
                            // A constraint violation (an id that exists) fails in SQL, not in Java.
                            try {
                                write(db, -1, false);
                                duplicates.incrementAndGet();
                            } catch (ConflictException expected) {
                                // only this caller fails
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();

            assertThat(duplicates).hasValue(0);
            assertThat(succeeded.size() + failed.size()).isEqualTo(threads * perThread);
            assertThat(failed).isNotEmpty();
            List<Long> stored = db.session().read(c -> Sql.list(c, "SELECT id FROM scratch", r -> r.getLong(1)));
            succeeded.add(-1L);
            assertThat(stored).hasSize(succeeded.size()); // no row twice (it is the primary key) and none lost
            assertThat(new HashSet<>(stored)).isEqualTo(succeeded);
            long commits = ((AutoCommitSession) db.session()).commits() - commitsBefore;
            assertThat(commits).as("transactions for %d writes", threads * perThread)
                    .isLessThan(succeeded.size());
        }
    }

    /**
     * Appends that share a commit: half of them fail on their last event (an event id already in the log), after
     * their first events were written. Each failing append leaves nothing; its neighbours in the batch commit.
     */
    @Test
    void anAppendFailingInABatchLeavesNothingAndItsNeighboursCommit() throws Exception {
        int threads = 16;
        int rounds = 25;
        try (Cairn db = Cairn.builder().location(location("appends.db")).busyTimeout(Duration.ofSeconds(60))
                .open()) {
            UUID taken = db.events().append("taken:1", ExpectedVersion.any(), EventData.of("x", "{}")).get(0)
                    .eventId();
            long commitsBefore = ((AutoCommitSession) db.session()).commits();
            CyclicBarrier start = new CyclicBarrier(threads);
            AtomicInteger refused = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        start.await();
                        EventData last = EventData.of("x", "{}");
                        boolean fail = (thread + r) % 2 == 0;
                        try {
                            db.events().append("s:" + thread + "-" + r, ExpectedVersion.noStream(),
                                    EventData.of("x", "{}"), EventData.of("x", "{}"),
                                    fail ? last.withEventId(taken) : last);
                            assertThat(fail).as("append %d-%d succeeded", thread, r).isFalse();
                        } catch (ConflictException e) {
                            assertThat(fail).as("append %d-%d failed: %s", thread, r, e).isTrue();
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            assertThat(refused).hasValue(threads * rounds / 2);
            for (int t = 0; t < threads; t++) {
                for (int r = 0; r < rounds; r++) {
                    assertThat(db.events().streamVersion("s:" + t + "-" + r)).as("stream %d-%d", t, r)
                            .isEqualTo((t + r) % 2 == 0 ? -1 : 2);
                }
            }
            assertThat(db.events().replayAll()).hasSize(1 + 3 * threads * rounds / 2);
            long commits = ((AutoCommitSession) db.session()).commits() - commitsBefore;
            assertThat(commits).as("transactions for %d appends", threads * rounds).isLessThan(threads * rounds);
        }
    }

    @Test
    void aLoneWriterFailingLeavesNothingAndTheNextWriteWorks() {
        try (Cairn db = Cairn.open(location("alone.db"))) {
            Scratch.create(db);
            try {
                write(db, 1, true);
            } catch (IllegalStateException expected) {
                // its own failure, rethrown as is
            }
            write(db, 2, false);
            assertThat(Scratch.values(db)).containsExactly("row 2");
        }
    }

    @Test
    void afterCommitActionsRunOnlyForWritesThatCommitted() {
        try (Cairn db = Cairn.open(location("after.db"))) {
            Scratch.create(db);
            List<String> ran = new ArrayList<>();
            db.session().write(c -> {
                db.session().afterCommit(() -> ran.add("committed"));
                return Sql.update(c, "INSERT INTO scratch (id, value) VALUES (1, 'x')");
            });
            try {
                db.session().write(c -> {
                    db.session().afterCommit(() -> ran.add("rolled back"));
                    throw new IllegalStateException("no");
                });
            } catch (IllegalStateException expected) {
                // the write failed
            }
            assertThat(ran).containsExactly("committed");
        }
    }
}

/**
 * The same on PostgreSQL, where several batches run at once, each append sends its savepoint ahead of its one
 * statement, and the savepoints of a batch stay open until its commit.
 */
class PostgresGroupCommitTest extends GroupCommitTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location(String name) {
        return SCHEMA.url();
    }

    /**
     * A batch held up by a row lock (an open transaction holds the stream's row) does not hold up the writes queued
     * after it: another batch starts for them, long before the busy timeout.
     */
    @Test
    void writesQueuedBehindABatchHeldUpByARowLockGoOnInAnotherBatch() throws Exception {
        int others = 12;
        try (Cairn db = Cairn.builder().location(location("held")).busyTimeout(Duration.ofSeconds(30)).open();
                Transaction tx = db.begin()) {
            tx.events().append("held:x", ExpectedVersion.any(), EventData.of("x", "{}")); // holds stream x's row
            ExecutorService pool = Executors.newFixedThreadPool(others + 1);
            try {
                Future<?> blocked = pool.submit(() -> db.events().append("held:x", ExpectedVersion.any(),
                        EventData.of("x", "{}")));
                Thread.sleep(300); // its batch now waits for the row
                CyclicBarrier start = new CyclicBarrier(others);
                List<Future<Long>> done = new ArrayList<>();
                for (int t = 0; t < others; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        long began = System.nanoTime();
                        db.events().append("held:other-" + thread, ExpectedVersion.noStream(),
                                EventData.of("x", "{}"));
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
                    }));
                }
                for (Future<Long> each : done) {
                    assertThat(each.get(60, TimeUnit.SECONDS)).as("ms to append beside the held-up batch")
                            .isLessThan(5_000);
                }
                assertThat(blocked.isDone()).as("the append waiting for the row").isFalse();
                tx.commit();
                blocked.get(30, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            assertThat(db.events().streamVersion("held:x")).isEqualTo(1);
        }
    }

    /**
     * A write that waits for a row an open transaction holds fails within one busy timeout of when it was called,
     * also when it shared a combined statement with other appends, which waited out the lock and then ran again one by
     * one: the write must not wait a second timeout (nor the writes queued behind it).
     */
    @Test
    void aWriteBehindAHeldRowFailsWithinOneBusyTimeoutAlsoAfterItsCombinedStatementFailed() throws Exception {
        int others = 7;
        long timeout = 1_000;
        try (Cairn db = Cairn.builder().location(location("bounded")).busyTimeout(Duration.ofMillis(timeout)).open();
                Transaction tx = db.begin()) {
            tx.events().append("held:x", ExpectedVersion.any(), EventData.of("x", "{}")); // holds stream x's row
            AutoCommitSession session = (AutoCommitSession) db.session();
            ExecutorService pool = Executors.newFixedThreadPool(others + 1);
            List<Long> blockedMillis = new ArrayList<>();
            try {
                for (int round = 0; round < 6 && (round < 2 || session.combinedFallbacks() == 0); round++) {
                    CyclicBarrier start = new CyclicBarrier(others + 1);
                    int r = round;
                    Future<Long> blocked = pool.submit(() -> {
                        start.await();
                        long began = System.nanoTime();
                        try {
                            db.events().append("held:x", ExpectedVersion.any(), EventData.of("x", "{}"));
                            throw new AssertionError("appended to a row another transaction holds");
                        } catch (BusyException e) {
                            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
                        }
                    });
                    List<Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < others; t++) {
                        int thread = t;
                        done.add(pool.submit(() -> {
                            start.await();
                            return db.events().append("held:r" + r + "-" + thread, ExpectedVersion.noStream(),
                                    EventData.of("x", "{}"));
                        }));
                    }
                    blockedMillis.add(blocked.get(30, TimeUnit.SECONDS));
                    for (Future<?> each : done) {
                        each.get(30, TimeUnit.SECONDS);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(session.combinedFallbacks()).as("combined statements that waited out the lock").isPositive();
            assertThat(blockedMillis).as("ms until the append behind the held row failed")
                    .allSatisfy(ms -> assertThat(ms).isLessThan(timeout + timeout / 2));
            tx.rollback();
        }
    }

    /** A one-statement write alone in its batch runs in autocommit: its commit is no round trip of its own. */
    @Test
    void aLoneOneStatementWriteRunsInAutocommitAndABatchedOneInTheBatchsTransaction() throws Exception {
        try (Cairn db = Cairn.open(location("probe"))) {
            Combinable<Boolean> probe = new Combinable<>() {
                @Override
                public Boolean run(Connection connection) throws SQLException {
                    return connection.getAutoCommit();
                }

                @Override
                public Combiner combiner() {
                    return (connection, writes) -> {
                        throw new SQLException("not combined: run one by one");
                    };
                }

                @Override
                public Boolean complete(Connection connection, Object outcome) {
                    throw new AssertionError("never combined");
                }
            };
            boolean alone = db.session().writeSavepointAhead(probe);
            assertThat(alone).as("alone").isTrue();
            // Nested in another write, it is part of that write's transaction.
            boolean nested = db.session().write(c -> db.session().writeSavepointAhead(probe));
            assertThat(nested).as("nested").isFalse();
        }
    }
}
