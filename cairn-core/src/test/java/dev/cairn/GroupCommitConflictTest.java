package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.events.EventData;
import dev.cairn.events.EventMetadata;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.RecordedEvent;
import dev.cairn.internal.AutoCommitSession;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit under conflicts: 16 threads append single events (2,000 each by default; {@code
 * -Dcairn.groupCommit.perThread=10000} for a long run) to a few shared streams, each with the
 * version it last saw, so many appends carry a stale expected version. Appends that share a commit must not share a
 * fate: every acknowledged append is in the log exactly once, at the version it was acknowledged with, and every
 * refused one is absent. Among them, some carry an event id already in the log (an error in SQL, not a refusal) and
 * some a command id, sent twice (the retry must answer with the first one's event).
 */
class GroupCommitConflictTest {
    static final int THREADS = 16;
    /** Appends per thread: a round trip each on PostgreSQL, where fewer suffice to fill many batches. */
    int perThread() {
        return Integer.getInteger("cairn.groupCommit.perThread", 2_000);
    }
    static final int STREAMS = 4;

    @TempDir
    Path dir;

    String location() {
        return dir.resolve("conflicts.db").toString();
    }

    /** Checks what group commit did with the batches; on PostgreSQL, that one-event appends shared statements. */
    void checkBatches(AutoCommitSession session) {
        assertThat(session.commits()).as("commits").isLessThan((long) THREADS * perThread());
    }

    @Test
    void everyAcknowledgedAppendIsStoredOnceAndEveryRefusedOneIsAbsent() throws Exception {
        // Keyed by payload, unique per append: most events get their id from the store when appended.
        Map<String, RecordedEvent> acknowledged = new ConcurrentHashMap<>();
        Map<String, Boolean> refused = new ConcurrentHashMap<>();
        AtomicLong conflicts = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong retried = new AtomicLong();
        try (Cairn db = Cairn.open(location())) {
            // Two ids already in the log: one chosen by its appender (held by the unique index), one the store gave.
            UUID[] taken = {
                db.events().append("test:taken", ExpectedVersion.any(), EventData.of("test.appended", "{}")
                        .withEventId(dev.cairn.Ids.next())).get(0).eventId(),
                db.events().append("test:taken", ExpectedVersion.any(), EventData.of("test.appended", "{}"))
                        .get(0).eventId()};
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
                    for (int i = 0; i < perThread(); i++) {
                        int stream = random.nextInt(STREAMS);
                        EventData event = EventData.of("test.appended", "{\"thread\":" + thread + ",\"i\":" + i + "}");
                        ExpectedVersion expected = seen[stream] < 0
                                ? ExpectedVersion.noStream()
                                : ExpectedVersion.exact(seen[stream]);
                        int kind = random.nextInt(40);
                        if (kind == 0) {
                            try {
                                db.events().append("test:s" + stream, ExpectedVersion.any(), event.withEventId(taken[i % 2]));
                                throw new AssertionError("an event id already in the log was stored again");
                            } catch (WrongExpectedVersionException e) {
                                throw new AssertionError("expected any version, refused: " + e.getMessage());
                            } catch (ConflictException e) {
                                duplicates.incrementAndGet();
                            }
                            continue;
                        }
                        if (kind == 1) {
                            event = event.withMetadata(EventMetadata.EMPTY.withCommandId("cmd-" + thread + "-" + i));
                        }
                        try {
                            RecordedEvent stored = db.events().append("test:s" + stream, expected, event).get(0);
                            if (kind == 1) {
                                RecordedEvent again = db.events().append("test:s" + stream, expected, event).get(0);
                                assertThat(again.sequence()).as("a command's retry").isEqualTo(stored.sequence());
                                retried.incrementAndGet();
                            }
                            acknowledged.put(event.payload(), stored);
                            seen[stream] = stored.streamVersion();
                        } catch (WrongExpectedVersionException e) {
                            refused.put(event.payload(), true);
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

            assertThat(acknowledged.size() + refused.size() + duplicates.get()).isEqualTo(THREADS * perThread());
            assertThat(conflicts.get()).as("stale expected versions among the appends").isPositive();
            assertThat(duplicates.get()).as("appends of an event id already stored").isPositive();
            assertThat(retried.get()).as("commands sent twice").isPositive();
            checkBatches((AutoCommitSession) db.session());
            Map<String, RecordedEvent> stored = new HashMap<>();
            java.util.Set<UUID> ids = new java.util.HashSet<>(List.of(taken));
            Map<String, Long> lastVersion = new HashMap<>();
            db.events().replayAll().forEach(event -> {
                if (event.streamId().equals("test:taken")) {
                    return;
                }
                assertThat(stored.put(event.payload(), event)).as("event %s stored twice", event.payload()).isNull();
                assertThat(ids.add(event.eventId())).as("event id %s given twice", event.eventId()).isTrue();
                long expectedVersion = lastVersion.getOrDefault(event.streamId(), -1L) + 1;
                assertThat(event.streamVersion()).as("versions of %s", event.streamId()).isEqualTo(expectedVersion);
                lastVersion.put(event.streamId(), event.streamVersion());
            });
            assertThat(stored.keySet()).isEqualTo(acknowledged.keySet());
            acknowledged.forEach((id, ack) -> {
                RecordedEvent event = stored.get(id);
                assertThat(event.sequence()).isEqualTo(ack.sequence());
                assertThat(event.eventId()).as("the id the append returned").isEqualTo(ack.eventId());
                assertThat(event.streamVersion()).isEqualTo(ack.streamVersion());
            });
            assertThat(refused.keySet()).doesNotContainAnyElementsOf(stored.keySet());
        }
    }
}

/**
 * The same on PostgreSQL, where several batches run at once and the one-event appends of a batch share one server
 * call: a refusal there fails its caller alone; an error (the event id already stored) undoes the call, and its
 * appends run again one by one, so that only that one fails.
 */
class PostgresGroupCommitConflictTest extends GroupCommitConflictTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }

    @Override
    int perThread() {
        return Integer.getInteger("cairn.groupCommit.perThread", 500);
    }

    @Override
    void checkBatches(AutoCommitSession session) {
        super.checkBatches(session);
        assertThat(session.combinedWrites()).as("one-event appends run in a shared statement").isPositive();
        assertThat(session.combinedFallbacks()).as("shared statements undone and run one by one").isPositive();
    }
}
