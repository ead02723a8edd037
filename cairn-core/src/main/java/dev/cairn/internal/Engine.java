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

    /** How this store derives the ids of events appended without one ({@link EventIds}): read once, then kept. */
    EventIds eventIds();

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
     * Runs read-only work of at most one statement on a reader connection, which sees one snapshot by itself: a
     * database server may run it without a transaction block around it, whose end costs a round trip of its own.
     */
    default <T> T readStatement(SqlWork<T> work) {
        return read(work);
    }

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

    /**
     * Called after a commit that appended to the event log, with the highest transaction order it used: tells other
     * processes (PostgreSQL: a NOTIFY from a background thread, at most one per short interval, never on the commit
     * path) and the {@link #watermark()}. A no-op where others learn of appends by polling.
     */
    default void appended(long transactionOrder) {}

    /** The store's read-your-writes mark, where the log's readers trail its commits (PostgreSQL); null elsewhere. */
    default AppendWatermark watermark() {
        return null;
    }

    /**
     * How many group-commit batches may run at once: 1 where a write transaction excludes every other (SQLite), more
     * where transactions run in parallel (each batch on a connection of its own).
     */
    default int concurrentBatches() {
        return 1;
    }

    /**
     * The most writes one batch may hold (0: no limit). PostgreSQL keeps up to 64 subtransactions (one per savepoint
     * that wrote) of a transaction in shared memory; beyond that every snapshot taken meanwhile gets slower.
     */
    default int maxBatch() {
        return 0;
    }

    /**
     * Whether a batch leaves each write's savepoint open, nested in the one before, until the commit releases them
     * all: where every statement is a round trip to a server, releasing them one by one costs a round trip per write.
     * (Rolling back to a savepoint still undoes exactly the write that failed.)
     */
    default boolean nestSavepoints() {
        return false;
    }

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
