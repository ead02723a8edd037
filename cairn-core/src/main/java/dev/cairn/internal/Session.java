package dev.cairn.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Where repository code runs its SQL: either the store itself (each write its own transaction) or an open
 * {@link dev.cairn.Transaction} (every read and write takes part in it).
 *
 * <p>Repositories are written once against this interface, so every repository operation exists on the store and on
 * a transaction with the same code. {@link java.sql.SQLException}s thrown by the work are translated into
 * {@link dev.cairn.CairnException}s by the session; Cairn exceptions thrown by the work pass through and roll the
 * write back.
 */
public interface Session {
    Dialect dialect();

    /** How the store derives the ids of events appended without one ({@link EventIds}). */
    EventIds eventIds();

    Clock clock();

    /**
     * Now, on the clock every process of the store shares, for what decides who is alive: heartbeats, lease expiry,
     * staleness. On PostgreSQL that is the database server's clock, read on {@code connection}, so that hosts whose
     * clocks differ still agree on whose heartbeat is stale; on SQLite (one host) and whenever a clock was given to
     * the store (tests), the store's clock.
     */
    Instant sharedNow(Connection connection) throws SQLException;

    /** Runs read-only work on a consistent snapshot. */
    <T> T read(SqlWork<T> work);

    /**
     * Runs read-only work of at most one statement, as {@link #read} does: one statement sees one snapshot by itself,
     * so the store may run it without a transaction around it (see {@link Engine#readStatement}).
     */
    default <T> T readStatement(SqlWork<T> work) {
        return read(work);
    }

    /** Runs work that writes: atomically, in its own transaction or in the enclosing one. */
    <T> T write(SqlWork<T> work);

    /**
     * Runs work that writes, as {@link #write} does, for work that sends its own savepoint: its first statement must
     * start with {@link #savepointAhead()} (a statement run before it would not be undone if the work then failed).
     * Group commit runs each write of a batch under a savepoint; opened by a statement of its own, that costs a round
     * trip per write on a database server.
     */
    default <T> T writeSavepointAhead(SqlWork<T> work) {
        return write(work);
    }

    /**
     * Runs work that writes, as {@link #write} (or {@link #writeSavepointAhead}) does, without waiting for it: the
     * future completes once the write has committed, with the work's result, or was refused, with the exception
     * {@code write} would have thrown. In a transaction it runs at once; the store's own session queues it for group
     * commit (see {@link AutoCommitSession}).
     */
    default <T> CompletableFuture<T> writeAsync(SqlWork<T> work, boolean savepointAhead) {
        try {
            return CompletableFuture.completedFuture(savepointAhead ? writeSavepointAhead(work) : write(work));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * For the first statement of work run by {@link #writeSavepointAhead}: the statement that opens the write's
     * savepoint followed by {@code ;}, to send in front of it in one round trip; empty when none is needed (the write
     * is alone in its transaction, or nested in another). Returns it once.
     */
    default String savepointAhead() {
        return "";
    }

    /** Runs {@code action} once the write that is running now (or the enclosing transaction) has committed. */
    void afterCommit(Runnable action);

    /** See {@link Engine#watchAppends}; a no-op on a transaction, which has no subscriptions. */
    default void watchAppends(Runnable wake) {}

    /** See {@link Engine#appended}; run after the append's commit. */
    default void appended(long transactionOrder) {}

    /**
     * Waits until readers see every append committed through this store (see {@link AppendWatermark}); only the
     * store's own session waits, before a read through it or a read transaction takes its snapshot.
     */
    default void awaitOwnAppends() {}

    /**
     * Has {@code resource} (a subscription) closed when the store closes, before its connections; returns what makes
     * the store forget it, for a resource that ends earlier. Only the store's own session has a lifetime to tie to.
     *
     * @throws dev.cairn.TransactionStateException when the store is closed, or on a transaction's session
     */
    default Runnable closeWithStore(AutoCloseable resource) {
        throw new dev.cairn.TransactionStateException("only the store outlives what " + location() + " would tie to it;"
                + " use the store (db.events()), not a transaction");
    }

    /** A short description of the database for messages: a file path or a JDBC URL without credentials. */
    String location();
}
