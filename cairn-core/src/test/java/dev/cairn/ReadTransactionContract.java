package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.RecordedEvent;
import dev.cairn.goals.GoalSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link Cairn#read}: one snapshot, no writes, no writer; on SQLite and on PostgreSQL. */
abstract class ReadTransactionContract {
    Cairn db;
    ExecutorService other;

    abstract String location();

    @BeforeEach
    void open() {
        db = Cairn.builder().location(location()).busyTimeout(Duration.ofSeconds(2)).open();
        other = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void close() {
        other.shutdownNow();
        db.close();
    }

    private static EventData note(int n) {
        return EventData.of("note.added", "{\"n\":" + n + "}");
    }

    @Test
    void everyReadInsideSeesOneSnapshotWhileAnotherThreadCommits() throws Exception {
        db.events().append("note:1", ExpectedVersion.any(), note(0));
        CountDownLatch firstReadDone = new CountDownLatch(1);
        CountDownLatch otherCommitted = new CountDownLatch(1);
        Future<?> writer = other.submit(() -> {
            await(firstReadDone);
            db.events().append("note:1", ExpectedVersion.any(), note(1));
            db.goals().create(GoalSpec.of("g1", "appears meanwhile", "/p"));
            otherCommitted.countDown();
            return null;
        });
        List<Object> seen = db.read(tx -> {
            long headBefore = tx.events().lastPosition().sequence();
            firstReadDone.countDown();
            await(otherCommitted);
            // The same reads, after another thread committed a second event and a goal.
            return List.of(headBefore, tx.events().lastPosition().sequence(), tx.events().streamVersion("note:1"),
                    tx.goals().find("g1").isPresent(), tx.events().readStream("note:1", 0).count());
        });
        writer.get(1, TimeUnit.MINUTES);
        assertThat(seen).containsExactly(1L, 1L, 0L, false, 1L);
        // Control: the write did happen between the two reads, and the store outside the snapshot sees it.
        assertThat(db.events().lastPosition().sequence()).isGreaterThan(1L);
        assertThat(db.events().streamVersion("note:1")).isEqualTo(1L);
        assertThat(db.goals().find("g1")).isPresent();
    }

    @Test
    void aWriteInsideIsRefusedNamingTheOperationAndChangesNothing() {
        db.events().append("note:1", ExpectedVersion.any(), note(0));
        assertThatThrownBy(() -> db.read(tx -> tx.events().append("note:1", ExpectedVersion.any(), note(1))))
                .isInstanceOf(ReadOnlyException.class)
                .hasMessageContaining("EventLog.append")
                .hasMessageContaining("nothing was written");
        assertThatThrownBy(() -> db.read(tx -> tx.goals().create(GoalSpec.of("g1", "never", "/p"))))
                .isInstanceOf(ReadOnlyException.class)
                .hasMessageContaining("GoalStore.create");
        assertThatThrownBy(() -> db.read(tx -> tx.goals().tasks().claimTask("g1", "w", Duration.ofMinutes(1))))
                .isInstanceOf(ReadOnlyException.class)
                .hasMessageContaining("TaskStore.claimTask");
        assertThat(db.events().streamVersion("note:1")).isZero();
        assertThat(db.goals().find("g1")).isEmpty();
        // The reader that refused is healthy: the next read works.
        assertThat((long) db.read(tx -> tx.events().lastPosition().sequence())).isEqualTo(1L);
    }

    @Test
    void theReadTransactionCannotBeUsedAfterItsFunctionReturned() {
        ReadTransaction escaped = db.read(tx -> tx);
        assertThatThrownBy(() -> escaped.events().lastPosition().sequence()).isInstanceOf(TransactionStateException.class);
    }

    @Test
    void aReadCompletesWhileAnotherThreadHoldsAWriteTransactionOpen() throws Exception {
        db.events().append("note:1", ExpectedVersion.any(), note(0));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = other.submit(() -> {
            try (Transaction tx = db.begin()) {
                tx.events().append("note:1", ExpectedVersion.any(), note(1));
                holding.countDown();
                await(release);
                tx.commit();
            }
            return null;
        });
        assertThat(holding.await(1, TimeUnit.MINUTES)).isTrue();
        try {
            AtomicReference<List<RecordedEvent>> events = new AtomicReference<>();
            long head = db.read(tx -> {
                events.set(tx.events().readStream("note:1", 0).toList());
                return tx.events().lastPosition().sequence();
            });
            assertThat(head).isEqualTo(1L);
            assertThat(events.get()).hasSize(1); // the open transaction's append is not visible
        } finally {
            release.countDown();
        }
        holder.get(1, TimeUnit.MINUTES);
        assertThat((long) db.read(tx -> tx.events().streamVersion("note:1"))).isEqualTo(1L);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the other side never arrived");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

/** The contract on a SQLite file. */
class ReadTransactionTest extends ReadTransactionContract {
    @TempDir
    Path dir;

    @Override
    String location() {
        return dir.resolve("read.db").toString();
    }
}

/** The contract on PostgreSQL. */
class PostgresReadTransactionTest extends ReadTransactionContract {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
