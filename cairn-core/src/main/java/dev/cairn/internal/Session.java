package dev.cairn.internal;

import java.time.Clock;

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

    Clock clock();

    /** Runs read-only work on a consistent snapshot. */
    <T> T read(SqlWork<T> work);

    /** Runs work that writes: atomically, in its own transaction or in the enclosing one. */
    <T> T write(SqlWork<T> work);

    /** Runs {@code action} once the write that is running now (or the enclosing transaction) has committed. */
    void afterCommit(Runnable action);

    /** See {@link Engine#watchAppends}; a no-op on a transaction, which has no subscriptions. */
    default void watchAppends(Runnable wake) {}

    /** A short description of the database for messages: a file path or a JDBC URL without credentials. */
    String location();
}
