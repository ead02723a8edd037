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
 */
final class BusyWait extends BusyHandler {
    private static final long FIRST_PAUSE_NANOS = 5_000;
    private static final long LONGEST_PAUSE_NANOS = 1_000_000;

    private final long timeoutNanos;
    private long startedAt;

    private BusyWait(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    static void install(Connection connection, long timeoutMillis) throws SQLException {
        BusyHandler.setHandler(connection.unwrap(org.sqlite.SQLiteConnection.class),
                new BusyWait(timeoutMillis * 1_000_000));
    }

    /** Called by SQLite each time a lock is found taken; {@code attempts} counts the calls for this one wait. */
    @Override
    protected int callback(int attempts) {
        long now = System.nanoTime();
        if (attempts == 0) {
            startedAt = now;
        }
        if (now - startedAt >= timeoutNanos) {
            return 0; // give up: SQLite returns SQLITE_BUSY
        }
        long pause = Math.min(LONGEST_PAUSE_NANOS, FIRST_PAUSE_NANOS << Math.min(attempts, 20));
        LockSupport.parkNanos(Math.min(pause, timeoutNanos - (now - startedAt)));
        return 1;
    }
}
