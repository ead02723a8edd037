package dev.cairn.internal.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;

/**
 * How a connection waits for a lock another process holds: briefly and often at first, then longer, and never past
 * the busy timeout.
 *
 * <p>Written because SQLite's own busy handler ({@code busy_timeout}) sleeps in whole milliseconds (1, 2, 5, 10 ms
 * ...), while a Cairn write transaction holds the lock for some tens of microseconds: two processes writing at once
 * would spend most of their time asleep on a lock that was free again long ago. Waits here start at a few
 * microseconds and double up to a millisecond, so a waiter gets the lock soon after it is released, and the total wait
 * is still bounded by the busy timeout, after which SQLite reports busy and Cairn raises {@code BusyException}.
 * A statement run through {@link #until} gives up earlier, at its deadline, when that comes first.
 */
final class BusyWait extends BusyHandler {
    private static final long FIRST_PAUSE_NANOS = 5_000;
    private static final long LONGEST_PAUSE_NANOS = 1_000_000;

    /** The deadline of the statement this thread runs through {@link #until}; only read when a lock is taken. */
    private static final ThreadLocal<Deadline> DEADLINE = ThreadLocal.withInitial(Deadline::new);

    private final long timeoutNanos;
    private long startedAt;

    private static final class Deadline {
        boolean set;
        long at;
    }

    private BusyWait(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    static void install(Connection connection, long timeoutMillis) throws SQLException {
        BusyHandler.setHandler(connection.unwrap(org.sqlite.SQLiteConnection.class),
                new BusyWait(timeoutMillis * 1_000_000));
    }

    /** Runs {@code sql} on {@code connection}, its waits for a lock ending at {@code deadline} (nanoTime) at the latest. */
    static void until(long deadline, Connection connection, String sql) throws SQLException {
        Deadline bound = DEADLINE.get();
        bound.set = true;
        bound.at = deadline;
        try {
            SqliteDialect.exec(connection, sql);
        } finally {
            bound.set = false;
        }
    }

    /** Called by SQLite each time a lock is found taken; {@code attempts} counts the calls for this one wait. */
    @Override
    protected int callback(int attempts) {
        long now = System.nanoTime();
        if (attempts == 0) {
            startedAt = now;
        }
        long left = timeoutNanos - (now - startedAt);
        Deadline bound = DEADLINE.get();
        if (bound.set) {
            left = Math.min(left, bound.at - now);
        }
        if (left <= 0) {
            return 0; // give up: SQLite returns SQLITE_BUSY
        }
        long pause = Math.min(LONGEST_PAUSE_NANOS, FIRST_PAUSE_NANOS << Math.min(attempts, 20));
        LockSupport.parkNanos(Math.min(pause, left));
        return 1;
    }
}
