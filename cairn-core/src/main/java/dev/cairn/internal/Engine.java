package dev.cairn.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The connections of one open store. Readers and the write path are separate: on SQLite a single writer connection
 * and a small pool of read-only ones, so readers never wait for the writer.
 */
public interface Engine extends AutoCloseable {
    Dialect dialect();

    Clock clock();

    /**
     * Now, on the clock every process of the store shares: what heartbeats, leases and their staleness are measured
     * by (see {@link Session#sharedNow}). Here the store's clock, which on one host is every process's clock.
     */
    default Instant sharedNow(Connection connection) throws SQLException {
        return clock().instant();
    }

    /** The database's location for messages: a path, or a JDBC URL without credentials. */
    String location();

    /** How long any wait for a lock or a connection may last. */
    Duration busyTimeout();

    /** Runs read-only work in one snapshot on a reader connection. */
    <T> T read(SqlWork<T> work);

    /**
     * Takes exclusive use of a write connection, waiting at most the busy timeout. No transaction is open on it yet.
     *
     * @param purpose what the writer is taken for, reported to anyone who waits for it too long
     */
    WriteLease acquireWriter(String purpose);

    /**
     * Like {@link #acquireWriter(String)}, but gives up at {@code deadline} (a {@link System#nanoTime()} value) when
     * that comes first: group commit waits for the writer only as long as the oldest queued write may still wait. An
     * engine whose writes do not queue ({@link #singleWriter()} false) may wait its whole busy timeout instead.
     */
    default WriteLease acquireWriter(String purpose, long deadline) {
        return acquireWriter(purpose);
    }

    /**
     * Whether the database admits one writer at a time (SQLite). Then concurrent store-level writes are coalesced
     * into shared transactions (group commit); otherwise each runs in a transaction of its own, in parallel.
     */
    boolean singleWriter();

    /** Whether the calling thread holds the writer right now (for an explicit transaction). */
    boolean writerHeldByCurrentThread();

    /**
     * Has {@code wake} run whenever another connection may have appended to the event log, for engines that can
     * hear of it (PostgreSQL's LISTEN); elsewhere a no-op, and subscriptions rely on in-process signals and polling.
     */
    default void watchAppends(Runnable wake) {}

    @Override
    void close();

    /** Exclusive use of the write connection until closed. */
    interface WriteLease extends AutoCloseable {
        Connection connection();

        /** Gives the connection back; any transaction on it must have ended. */
        @Override
        void close();
    }
}
