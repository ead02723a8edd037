package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.PostgresSchema;
import dev.cairn.WrongExpectedVersionException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What only a database with many writers can get wrong: on PostgreSQL, appends run in parallel transactions, so a
 * sequence handed out early could commit late, behind a reader that already moved past it; two appends to one stream
 * could both pass their version check; and another process's appends reach a subscriber only through the server.
 */
class PostgresLogOrderTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    static final int WRITERS = 16;
    static final int PER_WRITER = 40;

    Cairn db;

    @BeforeEach
    void open() {
        db = Cairn.builder().location(SCHEMA.url()).busyTimeout(Duration.ofSeconds(30)).open();
    }

    @AfterEach
    void close() {
        db.close();
    }

    /**
     * Writers hold their append's transaction open for a random moment before it commits, while a subscriber follows
     * from the start: it must get every event once, in strictly increasing position order, none skipped to turn up
     * later.
     */
    @Test
    void aSubscriberNeverSkipsAnEventThatCommitsLate() throws Exception {
        int total = WRITERS * PER_WRITER;
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(total);
        try (Subscription subscription = db.events().subscribe(LogPosition.START, event -> {
            seen.add(event);
            all.countDown();
        })) {
            run(WRITERS, writer -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < PER_WRITER; i++) {
                    EventData event = ConcurrentAppendTest.event("w" + writer, i);
                    String stream = random.nextBoolean() ? "shared:log" : "own:w" + writer;
                    if (random.nextInt(4) == 0) {
                        db.events().append(stream, ExpectedVersion.any(), event); // a store-level append
                    } else {
                        db.useTransaction(tx -> {
                            tx.events().append(stream, ExpectedVersion.any(), event);
                            sleep(random.nextInt(4)); // committed late, after others asked for sequences
                        });
                    }
                }
            });
            assertThat(all.await(2, TimeUnit.MINUTES)).as("the subscriber saw all %d events", total).isTrue();
            assertThat(subscription.failure()).isEmpty();
        }
        List<RecordedEvent> log = db.events().replayAll().toList();
        assertThat(log).hasSize(total);
        assertThat(seen).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
        assertThat(seen).containsExactlyElementsOf(log);
    }

    /** Every round, all writers try to append the same stream's next version: one wins, the rest are told so. */
    @Test
    void concurrentAppendsToOneStreamHaveOneWinnerPerVersion() throws Exception {
        int rounds = 30;
        CyclicBarrier start = new CyclicBarrier(WRITERS);
        AtomicInteger[] winners = new AtomicInteger[rounds];
        AtomicInteger losers = new AtomicInteger();
        for (int r = 0; r < rounds; r++) {
            winners[r] = new AtomicInteger();
        }
        run(WRITERS, writer -> {
            for (int r = 0; r < rounds; r++) {
                start.await();
                ExpectedVersion expected = r == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exact(r - 1);
                try {
                    db.events().append("race:1", expected, ConcurrentAppendTest.event("w" + writer, r));
                    winners[r].incrementAndGet();
                } catch (WrongExpectedVersionException lost) {
                    assertThat(lost.actual()).isEqualTo(r);
                    losers.incrementAndGet();
                }
            }
        });
        for (int r = 0; r < rounds; r++) {
            assertThat(winners[r].get()).as("winners of version %d", r).isOne();
        }
        assertThat(losers.get()).isEqualTo(rounds * (WRITERS - 1));
        assertThat(db.events().readStream("race:1", 0)).extracting(RecordedEvent::streamVersion)
                .containsExactlyElementsOf(versions(rounds));
        assertThat(db.events().replayAll()).hasSize(rounds);
    }

    /** A command retried by many workers at once is appended once, and every one of them gets that first result. */
    @Test
    void aCommandSentByManyWorkersAtOnceIsAppendedOnce() throws Exception {
        EventMetadata command = EventMetadata.of(ActorKind.CLIENT).withCommandId("cmd-1");
        EventData first = ConcurrentAppendTest.event("cmd", 0).withMetadata(command);
        EventData second = ConcurrentAppendTest.event("cmd", 1).withMetadata(command);
        CyclicBarrier start = new CyclicBarrier(WRITERS);
        List<List<RecordedEvent>> results = new CopyOnWriteArrayList<>();
        run(WRITERS, writer -> {
            start.await();
            results.add(db.events().append("command:1", ExpectedVersion.noStream(), first, second));
        });
        List<RecordedEvent> log = db.events().replayAll().toList();
        assertThat(log).extracting(RecordedEvent::streamVersion).containsExactly(0L, 1L);
        assertThat(results).hasSize(WRITERS).allSatisfy(result -> assertThat(result).isEqualTo(log));
    }

    /**
     * Appends through another store (its own pool and location, so no in-process signal reaches this one) wake a
     * subscription whose polling is switched off: only the server's NOTIFY can deliver them.
     */
    @Test
    void anotherStoresAppendsWakeASubscriberThroughNotify() throws Exception {
        int count = 20;
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(count);
        Subscription subscription = subscribeWithoutPolling(seen, all);
        try (subscription; Cairn other = Cairn.open(SCHEMA.url() + "&ApplicationName=cairn-other")) {
            for (int i = 0; i < count; i++) {
                other.events().append("other:1", ExpectedVersion.any(), ConcurrentAppendTest.event("other", i));
            }
            assertThat(all.await(2, TimeUnit.MINUTES)).as("notified of all %d events", count).isTrue();
        }
        assertThat(seen).extracting(RecordedEvent::streamVersion).containsExactlyElementsOf(versions(count));
    }

    /**
     * An event that commits while an older transaction (here another connection's, which never appends) is open is held
     * back until that one ends, and nothing signals its end: the subscription, its polling switched off, must still
     * deliver the event soon after.
     */
    @Test
    void anEventHeldBackByAnOlderTransactionIsDeliveredWhenThatOneEnds() throws Exception {
        List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
        CountDownLatch delivered = new CountDownLatch(1);
        Subscription subscription = subscribeWithoutPolling(seen, delivered);
        try (subscription; Connection older = DriverManager.getConnection(SCHEMA.url())) {
            older.setAutoCommit(false);
            try (Statement statement = older.createStatement()) {
                statement.execute("SELECT pg_current_xact_id()"); // takes a transaction id: the horizon stops here
            }
            RecordedEvent appended = db.events().append("held:1", ExpectedVersion.noStream(),
                    ConcurrentAppendTest.event("held", 0)).get(0);
            assertThat(delivered.await(300, TimeUnit.MILLISECONDS)).as("delivered while the older one is open").isFalse();
            older.rollback();
            assertThat(delivered.await(10, TimeUnit.SECONDS)).as("delivered after the older one ended").isTrue();
            assertThat(seen).containsExactly(appended);
        }
    }

    /** A subscription from the start whose polling is switched off (an hour): only a wake-up makes it read. */
    private Subscription subscribeWithoutPolling(List<RecordedEvent> seen, CountDownLatch delivered) {
        System.setProperty("cairn.subscription.pollMillis", Long.toString(TimeUnit.HOURS.toMillis(1)));
        try {
            return db.events().subscribe(LogPosition.START, event -> {
                seen.add(event);
                delivered.countDown();
            });
        } finally {
            System.clearProperty("cairn.subscription.pollMillis");
        }
    }

    private static List<Long> versions(int count) {
        List<Long> versions = new ArrayList<>();
        for (long v = 0; v < count; v++) {
            versions.add(v);
        }
        return versions;
    }

    interface Writer {
        void write(int writer) throws Exception;
    }

    private static void run(int writers, Writer body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    body.write(writer);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
