package dev.cairn.internal.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;

/**
 * How a connection waits for a lock another process holds: in pauses of half a millisecond, never past the busy
 * timeout.
 *
 * <p>Written because SQLite's own busy handler ({@code busy_timeout}) sleeps longer and longer (1, 2, 5, 10 ... up to
 * 100 ms between tries), so a process that waits behind a busy writer falls ever further behind it. Why not shorter
 * pauses: a Cairn write holds the lock for some tens of microseconds, and waits that started at 5 us and doubled
 * (this class until 2026-12-01) let two processes appending flat out hand the lock back and forth after nearly every
 * append; each hand-over empties the other process's page cache and wakes a thread on a busy machine, and together
 * they appended at 0.72 to 0.84 of the rate of two processes of the hand-written store, which sleep a millisecond.
 * With 0.5 ms the holder appends a run of events while the other waits: 0.94 to 1.18 of it (docs/benchmarks.md, issue
 * 12). The price is up to half a millisecond more for a write that meets another process's lock.
 * A statement run through {@link #until} gives up earlier, at its deadline, when that comes first.
 */
final class BusyWait extends BusyHandler {
    private static final long PAUSE_NANOS = 500_000;

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
        LockSupport.parkNanos(Math.min(PAUSE_NANOS, left));
        return 1;
    }
}
