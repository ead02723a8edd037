package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.WrongExpectedVersionException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit under conflicts: 16 threads append single events (2,000 each by default; {@code
 * -Dcairn.groupCommit.perThread=10000} for a long run) to a few shared streams, each with the
 * version it last saw, so many appends carry a stale expected version. Appends that share a commit must not share a
 * fate: every acknowledged append is in the log exactly once, at the version it was acknowledged with, and every
 * refused one is absent.
 */
class GroupCommitConflictTest {
    static final int THREADS = 16;
    static final int PER_THREAD = Integer.getInteger("cairn.groupCommit.perThread", 2_000);
    static final int STREAMS = 4;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedAppendIsStoredOnceAndEveryRefusedOneIsAbsent() throws Exception {
        Map<UUID, RecordedEvent> acknowledged = new ConcurrentHashMap<>();
        Map<UUID, Boolean> refused = new ConcurrentHashMap<>();
        AtomicLong conflicts = new AtomicLong();
        try (Cairn db = Cairn.open(dir.resolve("conflicts.db"))) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(thread);
                    long[] seen = new long[STREAMS];
                    java.util.Arrays.fill(seen, -1);
                    start.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                        int stream = random.nextInt(STREAMS);
                        EventData event = EventData.of("test.appended", "{\"thread\":" + thread + ",\"i\":" + i + "}");
                        ExpectedVersion expected = seen[stream] < 0
                                ? ExpectedVersion.noStream()
                                : ExpectedVersion.exact(seen[stream]);
                        try {
                            RecordedEvent stored = db.events().append("test:s" + stream, expected, event).get(0);
                            acknowledged.put(event.eventId(), stored);
                            seen[stream] = stored.streamVersion();
                        } catch (WrongExpectedVersionException e) {
                            refused.put(event.eventId(), true);
                            conflicts.incrementAndGet();
                            seen[stream] = db.events().streamVersion("test:s" + stream);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(10, TimeUnit.MINUTES);
            }
            pool.shutdown();

            assertThat(acknowledged.size() + refused.size()).isEqualTo(THREADS * PER_THREAD);
            assertThat(conflicts.get()).as("stale expected versions among the appends").isPositive();
            Map<UUID, RecordedEvent> stored = new HashMap<>();
            Map<String, Long> lastVersion = new HashMap<>();
            db.events().replayAll().forEach(event -> {
                assertThat(stored.put(event.eventId(), event)).as("event %s stored twice", event.eventId()).isNull();
                long expectedVersion = lastVersion.getOrDefault(event.streamId(), -1L) + 1;
                assertThat(event.streamVersion()).as("versions of %s", event.streamId()).isEqualTo(expectedVersion);
                lastVersion.put(event.streamId(), event.streamVersion());
            });
            assertThat(stored.keySet()).isEqualTo(acknowledged.keySet());
            acknowledged.forEach((id, ack) -> {
                RecordedEvent event = stored.get(id);
                assertThat(event.sequence()).isEqualTo(ack.sequence());
                assertThat(event.streamVersion()).isEqualTo(ack.streamVersion());
            });
            assertThat(refused.keySet()).doesNotContainAnyElementsOf(stored.keySet());
        }
    }
}
