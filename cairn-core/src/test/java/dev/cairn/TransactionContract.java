package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Transactions, the same on every backend: {@link TransactionTest} runs them on SQLite, {@link PostgresTransactionTest} on PostgreSQL. */
abstract class TransactionContract {
    Cairn db;

    /** Where the store under test lives: a path or a JDBC URL. */
    abstract String location();

    @BeforeEach
    void open() {
        db = Cairn.builder().location(location()).busyTimeout(Duration.ofSeconds(2)).open();
        Scratch.create(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void inTransactionCommitsOnReturn() {
        String result = db.inTransaction(tx -> {
            Scratch.insert(tx, 1, "a");
            Scratch.insert(tx, 2, "b");
            assertThat(Scratch.values(tx)).containsExactly("a", "b"); // reads in the transaction see its writes
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(Scratch.values(db)).containsExactly("a", "b");
    }

    @Test
    void inTransactionRollsBackOnAnyExceptionAndRethrowsIt() {
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> db.useTransaction(tx -> {
            Scratch.insert(tx, 1, "a");
            throw boom;
        })).isSameAs(boom);
        assertThat(Scratch.count(db)).isZero();
        // The writer was released: the store writes again.
        Scratch.insert(db, 3, "c");
        assertThat(Scratch.values(db)).containsExactly("c");
    }

    @Test
    void explicitCommitAndRollback() {
        try (Transaction tx = db.begin()) {
            Scratch.insert(tx, 1, "kept");
            tx.commit();
            assertThat(tx.isOpen()).isFalse();
        }
        try (Transaction tx = db.begin()) {
            Scratch.insert(tx, 2, "discarded");
            tx.rollback();
        }
        assertThat(Scratch.values(db)).containsExactly("kept");
    }

    @Test
    void closingWithoutCommitRollsBack() {
        try (Transaction tx = db.begin()) {
            Scratch.insert(tx, 1, "never");
        }
        assertThat(Scratch.count(db)).isZero();
    }

    @Test
    void anEndedTransactionCannotBeUsed() {
        Transaction tx = db.begin();
        tx.commit();
        assertThatThrownBy(() -> Scratch.insert(tx, 1, "late"))
                .isInstanceOf(TransactionStateException.class)
                .hasMessageContaining("TransactionContract.anEndedTransactionCannotBeUsed");
        assertThatThrownBy(tx::commit).isInstanceOf(TransactionStateException.class);
        assertThatThrownBy(tx::rollback).isInstanceOf(TransactionStateException.class);
        tx.close(); // a no-op after commit
    }

    @Test
    void aTransactionIsInvisibleToOtherConnectionsUntilCommit() throws Exception {
        try (Cairn other = Cairn.open(location())) {
            try (Transaction tx = db.begin()) {
                Scratch.insert(tx, 1, "pending");
                assertThat(Scratch.count(db)).isZero(); // the store's own readers
                assertThat(Scratch.count(other)).isZero(); // another handle on the file
                tx.commit();
            }
            assertThat(Scratch.values(db)).containsExactly("pending");
            assertThat(Scratch.values(other)).containsExactly("pending");
        }
    }

    @Test
    void readersDoNotWaitForAnOpenWriteTransaction() throws Exception {
        Scratch.insert(db, 1, "before");
        try (Transaction tx = db.begin()) {
            Scratch.insert(tx, 2, "uncommitted");
            // Another thread reads while the writer is held: it must get the committed state, not wait.
            CompletableFuture<Long> count = CompletableFuture.supplyAsync(() -> Scratch.count(db));
            assertThat(count.get(1, TimeUnit.MINUTES)).isEqualTo(1);
            tx.commit();
        }
    }

    @Test
    void aStoreWriteOnTheThreadHoldingATransactionFailsInsteadOfJoining() {
        try (Transaction tx = db.begin()) {
            Scratch.insert(tx, 1, "in tx");
            assertThatThrownBy(() -> Scratch.insert(db, 2, "outside"))
                    .isInstanceOf(TransactionStateException.class)
                    .hasMessageContaining("use that transaction");
            assertThatThrownBy(db::begin).isInstanceOf(TransactionStateException.class);
            tx.rollback();
        }
        assertThat(Scratch.count(db)).isZero();
    }

    @Test
    void aWaitingWriterProceedsOnceTheTransactionCommits() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        try {
            Future<?> waiting;
            try (Transaction tx = db.begin()) {
                Scratch.insert(tx, 1, "first");
                waiting = pool.submit(() -> {
                    started.countDown();
                    Scratch.insert(db, 2, "second");
                });
                started.await();
                tx.commit();
            }
            waiting.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        assertThat(Scratch.values(db)).containsExactly("first", "second");
    }

    @Test
    void aTransactionMayBeFinishedOnAnotherThread() throws Exception {
        Transaction tx = db.begin();
        Scratch.insert(tx, 1, "handed over");
        CompletableFuture.runAsync(tx::commit).get(1, TimeUnit.MINUTES);
        assertThat(Scratch.values(db)).containsExactly("handed over");
        Scratch.insert(db, 2, "writer free again");
    }

    @Test
    void anAbandonedTransactionIsRolledBackWhenCollected() throws Exception {
        abandon();
        AtomicBoolean written = new AtomicBoolean();
        for (int attempt = 0; attempt < 100 && !written.get(); attempt++) {
            System.gc();
            try {
                // Another thread, because this one still counts as the holder until the cleaner runs.
                CompletableFuture.runAsync(() -> Scratch.insert(db, 2, "after")).get(1, TimeUnit.MINUTES);
                written.set(true);
            } catch (java.util.concurrent.ExecutionException busy) {
                assertThat(busy).cause().isInstanceOf(BusyException.class);
            }
        }
        assertThat(written).isTrue();
        assertThat(Scratch.values(db)).containsExactly("after");
    }

    private void abandon() {
        Transaction lost = db.begin();
        Scratch.insert(lost, 1, "lost");
        // no close: the reference is dropped here
    }
}

/** The contract on a SQLite file, and what only a single-writer database does. */
class TransactionTest extends TransactionContract {
    @TempDir
    Path dir;

    @Override
    String location() {
        return dir.resolve("tx.db").toString();
    }

    @Test
    void anotherThreadWaitsForTheWriterAndFailsWithBusyPastTheBound() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Transaction tx = db.begin()) {
            Scratch.insert(tx, 1, "held");
            Future<?> blocked = pool.submit(() -> Scratch.insert(db, 2, "waits"));
            assertThatThrownBy(() -> blocked.get(1, TimeUnit.MINUTES))
                    .cause()
                    .isInstanceOf(BusyException.class)
                    .hasMessageContaining("tx.db")
                    .hasMessageContaining("TransactionTest.anotherThreadWaitsForTheWriterAndFailsWithBusyPastTheBound");
            tx.commit();
        } finally {
            pool.shutdownNow();
        }
        assertThat(Scratch.values(db)).containsExactly("held");
    }
}

/** The contract on PostgreSQL. */
class PostgresTransactionTest extends TransactionContract {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
