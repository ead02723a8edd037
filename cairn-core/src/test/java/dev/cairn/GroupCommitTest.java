package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.internal.AutoCommitSession;
import dev.cairn.internal.Sql;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
    @TempDir
    Path dir;

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
        try (Cairn db = Cairn.open(dir.resolve("group.db"))) {
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

    @Test
    void aLoneWriterFailingLeavesNothingAndTheNextWriteWorks() {
        try (Cairn db = Cairn.open(dir.resolve("alone.db"))) {
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
        try (Cairn db = Cairn.open(dir.resolve("after.db"))) {
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
