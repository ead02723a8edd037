package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Backends;
import dev.cairn.Cairn;
import dev.cairn.Jvm;
import dev.cairn.PostgresSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tail is gap-free with many writers on PostgreSQL: {@value #PROCESSES} writer processes of {@value #THREADS}
 * threads each append at once, most of them holding their transaction open for a random moment after the append, so
 * that sequences and transaction ids taken early commit late (see {@link LateCommitWriter}). Two followers in this
 * process read along from the start: a subscription, and a reader that polls {@code replayFrom} with the position
 * of the last event it got, as a client keeping its cursor would. Each must get every event exactly once, in the
 * log's final order; an event that committed behind a follower's position would be missing from what it got.
 */
class PostgresGapFreeTailTest {
    static final int PROCESSES = 3;
    static final int THREADS = 4;
    static final int PER_THREAD = 40;

    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @TempDir
    Path dir;

    @Test
    void followersInAnotherProcessSeeEveryEventOnceInOrderWhileWritersCommitLate() throws Exception {
        String location = SCHEMA.url();
        List<RecordedEvent> subscribed = new CopyOnWriteArrayList<>();
        List<RecordedEvent> polled = new CopyOnWriteArrayList<>();
        try (Cairn db = Cairn.open(location)) {
            // Migrated before the writers start, so that all of them open an up-to-date store.
            Path go = dir.resolve("go");
            List<Jvm.Child> writers = new ArrayList<>();
            for (int p = 0; p < PROCESSES; p++) {
                writers.add(Jvm.child(LateCommitWriter.class, location, "p" + p, Integer.toString(THREADS),
                        Integer.toString(PER_THREAD), go.toString()));
            }
            for (Jvm.Child writer : writers) {
                writer.awaitReady();
            }
            CountDownLatch writing = new CountDownLatch(1);
            AtomicReference<Throwable> pollFailure = new AtomicReference<>();
            Thread poller = new Thread(() -> {
                try {
                    LogPosition cursor = LogPosition.START;
                    boolean last = false;
                    while (!last) {
                        last = writing.getCount() == 0; // one more read after the writers are done
                        for (RecordedEvent event : (Iterable<RecordedEvent>) db.events().replayFrom(cursor)::iterator) {
                            polled.add(event);
                            cursor = event.position();
                        }
                        Thread.sleep(2);
                    }
                } catch (Throwable e) {
                    pollFailure.set(e);
                }
            }, "poller");
            try (Subscription subscription = db.events().subscribe(LogPosition.START, subscribed::add)) {
                poller.start();
                Jvm.go(go);
                List<Jvm.Window> windows = new ArrayList<>();
                for (Jvm.Child writer : writers) {
                    String output = writer.finish();
                    assertThat(output).contains("done");
                    windows.add(Jvm.Child.windowIn(output));
                }
                assertThat(Jvm.Window.overlap(windows)).as("the writer processes appended at once: %s", windows)
                        .isTrue();
                // Every writer has committed. Readers see an event once every older transaction on the server has
                // ended: wait until they see all of them (as counted without that bound), then read the final log.
                long committed;
                try (Connection raw = Backends.connect(location); Statement count = raw.createStatement();
                        ResultSet rows = count.executeQuery("SELECT count(*) FROM events")) {
                    rows.next();
                    committed = rows.getLong(1);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                List<RecordedEvent> log = db.events().replayAll().toList();
                while ((log.size() < committed || subscribed.size() < committed) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                    log = db.events().replayAll().toList();
                }
                writing.countDown();
                poller.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(pollFailure.get()).isNull();
                assertThat(subscription.failure()).isEmpty();

                assertThat(log).as("events appended").hasSize((int) committed)
                        .hasSizeGreaterThanOrEqualTo(PROCESSES * THREADS * PER_THREAD);
                assertThat(log).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
                assertThat(subscribed).as("what the subscription delivered").containsExactlyElementsOf(log);
                assertThat(polled).as("what a reader polling by position got").containsExactlyElementsOf(log);
                // Every stream reads in version order in the log: what a rebuild replays relies on it.
                Map<String, Long> next = new HashMap<>();
                for (RecordedEvent event : log) {
                    long expected = next.getOrDefault(event.streamId(), 0L);
                    assertThat(event.streamVersion()).as("version of %s at %s", event.streamId(), event.position())
                            .isEqualTo(expected);
                    next.put(event.streamId(), expected + 1);
                }
                // The appends did commit out of sequence order (else the test proves nothing): some event has a
                // smaller sequence than one before it in the log.
                long outOfOrder = 0;
                for (int i = 1; i < log.size(); i++) {
                    if (log.get(i).sequence() < log.get(i - 1).sequence()) {
                        outOfOrder++;
                    }
                }
                assertThat(outOfOrder).as("events whose sequence is below the one before them").isPositive();
            }
        }
    }
}
