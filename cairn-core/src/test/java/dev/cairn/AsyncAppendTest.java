package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.RecordedEvent;
import dev.cairn.internal.AutoCommitSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code appendAsync}: appends nobody waits on join group commit beside waiting ones, each future completes once its
 * append is committed or refused, a refusal fails its own future alone, and no queued append is left without a
 * leader when every thread that queued one has gone.
 */
class AsyncAppendTest {
    static final int THREADS = 8;
    static final int PER_THREAD = 300;

    @TempDir
    Path dir;

    String location() {
        return dir.resolve("async.db").toString();
    }

    @Test
    void appendsNobodyWaitsOnAreStoredOnceBesideWaitingOnesAndRefusalsFailOnlyTheirOwn() throws Exception {
        Map<String, RecordedEvent> acknowledged = new ConcurrentHashMap<>();
        Map<String, Throwable> refused = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Cairn db = Cairn.open(location())) {
            db.events().append("test:shared", ExpectedVersion.noStream(), EventData.of("test.appended", "{}"));
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread writer = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < PER_THREAD; i++) {
                            String payload = "{\"thread\":" + thread + ",\"i\":" + i + "}";
                            EventData event = EventData.of("test.appended", payload);
                            if (thread % 2 == 1 && i % 3 == 0) {
                                // A waiting writer in the same queue.
                                acknowledged.put(payload, db.events().append("test:w" + thread + "-" + i,
                                        ExpectedVersion.noStream(), List.of(event)).get(0));
                                continue;
                            }
                            // Every tenth is refused: the shared stream is past version 0 from the start.
                            ExpectedVersion expected = i % 10 == 0 ? ExpectedVersion.noStream() : ExpectedVersion.any();
                            String stream = i % 10 == 0 ? "test:shared" : "test:a" + thread;
                            CompletableFuture<List<RecordedEvent>> future =
                                    db.events().appendAsync(stream, expected, List.of(event));
                            futures.add(future.whenComplete((stored, failure) -> {
                                if (failure == null) {
                                    acknowledged.put(payload, stored.get(0));
                                } else {
                                    refused.put(payload, failure);
                                }
                            }));
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                writer.start();
                threads.add(writer);
            }
            for (Thread thread : threads) {
                thread.join(TimeUnit.MINUTES.toMillis(2));
            }
            // Every writer has gone: what is still queued must be led by whoever leads, not by a waiting caller.
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                    .get(1, TimeUnit.MINUTES);

            assertThat(futures).hasSizeGreaterThan(THREADS * PER_THREAD / 2);
            assertThat(acknowledged.size() + refused.size()).isEqualTo(THREADS * PER_THREAD);
            assertThat(refused).isNotEmpty();
            refused.values().forEach(failure -> assertThat(failure)
                    .isInstanceOf(WrongExpectedVersionException.class));
            Map<String, RecordedEvent> stored = new HashMap<>();
            db.events().replayAll().filter(event -> !event.payload().equals("{}")).forEach(event ->
                    assertThat(stored.put(event.payload(), event)).as("%s stored twice", event.payload()).isNull());
            assertThat(stored.keySet()).isEqualTo(acknowledged.keySet());
            acknowledged.forEach((payload, ack) -> {
                assertThat(stored.get(payload).sequence()).isEqualTo(ack.sequence());
                assertThat(stored.get(payload).eventId()).isEqualTo(ack.eventId());
            });
            assertThat(db.events().streamVersion("test:shared")).as("refused appends wrote nothing").isZero();
        }
    }

    /**
     * Starts a waiting writer whose write holds the leader's place until {@code release}, then runs {@code after} on
     * its thread; returns once the write is running.
     */
    private static Thread leaderHeldUntil(Cairn db, CountDownLatch release, Runnable after) throws Exception {
        AutoCommitSession session = (AutoCommitSession) db.session();
        CountDownLatch inside = new CountDownLatch(1);
        Thread leader = new Thread(() -> {
            session.write(connection -> {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            });
            after.run();
        });
        leader.start();
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        return leader;
    }

    @Test
    void anAppendQueuedWhileALeaderRunsIsLedWhenNoWriterIsLeftToLeadIt() throws Exception {
        try (Cairn db = Cairn.open(location())) {
            CountDownLatch release = new CountDownLatch(1);
            Thread leader = leaderHeldUntil(db, release, () -> { });
            // Queued behind the running batch; its thread waits for nothing and there is no other writer.
            CompletableFuture<List<RecordedEvent>> queued = db.events().appendAsync("test:q", ExpectedVersion.any(),
                    List.of(EventData.of("test.appended", "{}")));
            assertThat(queued).isNotDone();
            release.countDown();
            assertThat(queued.get(10, TimeUnit.SECONDS).get(0).streamVersion()).isZero();
            leader.join();
        }
    }

    @Test
    void aChainOfAppendsEachQueuedByThePreviousOnesStageRunsAsALoopNotARecursion() throws Exception {
        try (Cairn db = Cairn.open(location())) {
            // The chain starts in a stage that a leader runs (its first append queued behind a running batch), so
            // every later append is queued by a stage the thread completing the futures runs.
            CountDownLatch release = new CountDownLatch(1);
            Thread leader = leaderHeldUntil(db, release, () -> { });
            int appends = 3_000; // nested, each append's leading and settling would take a few dozen frames
            CompletableFuture<Long> last = db.events().appendAsync("test:start", ExpectedVersion.any(),
                    List.of(EventData.of("test.appended", "{}"))).thenCompose(first -> chain(db, 0, appends));
            assertThat(last).isNotDone();
            release.countDown();
            assertThat(last.get(2, TimeUnit.MINUTES)).isEqualTo(appends - 1);
            assertThat(db.events().streamVersion("test:chain")).isEqualTo(appends - 1);
            leader.join();
        }
    }

    private static CompletableFuture<Long> chain(Cairn db, int i, int appends) {
        return db.events().appendAsync("test:chain", i == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exact(i - 1),
                List.of(EventData.of("test.appended", "{\"i\":" + i + "}"))).thenCompose(stored -> i + 1 == appends
                        ? CompletableFuture.completedFuture(stored.get(0).streamVersion())
                        : chain(db, i + 1, appends));
    }

    @Test
    void aWaitingWriterLeadsItsOwnBatchOnlyAndLeavesAppendsQueuedAfterItToTheCommitter() throws Exception {
        try (Cairn db = Cairn.open(location())) {
            CountDownLatch release = new CountDownLatch(1);
            long[] returnedAfterRelease = new long[1];
            long[] released = new long[1];
            Thread waiting = leaderHeldUntil(db, release,
                    () -> returnedAfterRelease[0] = System.nanoTime() - released[0]);
            // Queued behind the waiting writer's batch; the stage after it is slow (an answer to a slow client).
            CompletableFuture<Void> queued = db.events().appendAsync("test:queued", ExpectedVersion.any(),
                    List.of(EventData.of("test.appended", "{}"))).thenRun(() -> {
                        try {
                            Thread.sleep(2_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
            released[0] = System.nanoTime();
            release.countDown();
            waiting.join(TimeUnit.MINUTES.toMillis(1));
            queued.get(1, TimeUnit.MINUTES);
            assertThat(TimeUnit.NANOSECONDS.toMillis(returnedAfterRelease[0]))
                    .as("ms the waiting writer took to return once its own batch could commit").isLessThan(1_000);
        }
    }

    @Test
    void theFutureCompletesOnceTheAppendIsCommittedForEveryReader() throws Exception {
        try (Cairn db = Cairn.open(location()); Cairn other = Cairn.open(location())) {
            List<CompletableFuture<Long>> seen = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                seen.add(db.events().appendAsync("test:c", ExpectedVersion.any(),
                        List.of(EventData.of("test.appended", "{\"i\":" + i + "}")))
                        .thenApply(stored -> other.events().streamVersion("test:c") - stored.get(0).streamVersion()));
            }
            for (CompletableFuture<Long> ahead : seen) {
                assertThat(ahead.get(30, TimeUnit.SECONDS)).as("versions a second store sees beyond the append")
                        .isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void malformedInputFailsTheFutureAndNothingIsThrown() throws Exception {
        try (Cairn db = Cairn.open(location())) {
            CompletableFuture<List<RecordedEvent>> future = db.events().appendAsync("no kind", ExpectedVersion.any(),
                    List.of(EventData.of("test.appended", "{}")));
            assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidInputException.class);
            assertThat(db.events().lastPosition()).isEqualTo(dev.cairn.events.LogPosition.START);
        }
    }

    @Test
    void inATransactionTheAppendRunsAtOnceAndIsUndoneWithIt() {
        try (Cairn db = Cairn.open(location())) {
            AtomicInteger done = new AtomicInteger();
            assertThatThrownBy(() -> db.inTransaction(tx -> {
                CompletableFuture<List<RecordedEvent>> future = tx.events().appendAsync("test:tx",
                        ExpectedVersion.noStream(), List.of(EventData.of("test.appended", "{}")));
                assertThat(future).isDone();
                done.incrementAndGet();
                throw new IllegalStateException("roll back");
            })).hasMessageContaining("roll back");
            assertThat(done.get()).isEqualTo(1);
            assertThat(db.events().streamVersion("test:tx")).isEqualTo(-1);
        }
    }

    @Test
    void aClosedStoreFailsTheFuture() {
        Cairn db = Cairn.open(location());
        db.close();
        CompletableFuture<List<RecordedEvent>> future = db.events().appendAsync("test:closed", ExpectedVersion.any(),
                List.of(EventData.of("test.appended", "{}")));
        assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StoreClosedException.class);
    }
}

/** The same on PostgreSQL, where several batches run at once and one-event appends share a statement. */
class PostgresAsyncAppendTest extends AsyncAppendTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
