package dev.cairn.internal.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells other processes that this store appended, off the commit path: appends only raise a flag after they commit,
 * and a thread of its own sends one {@code NOTIFY} on a connection of its own for everything flagged since its last
 * one, at most one per {@link #INTERVAL_MICROS}. A NOTIFY inside the append's transaction would take the database-wide
 * lock PostgreSQL holds while a notifying transaction commits, and so make concurrent appends commit one at a time.
 *
 * <p>Only a wake-up: subscriptions read the log by position and also poll, so a NOTIFY lost with a broken connection
 * costs promptness, never an event. Started on the first append, ended with the store.
 */
final class AppendNotifier implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AppendNotifier.class);
    /** The shortest time between two notifications: appends within it share one. */
    static final long INTERVAL_MICROS = 10_000;

    private final String url;
    private final String location;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;

    AppendNotifier(String url, String location) {
        this.url = url;
        this.location = location;
        this.thread = new Thread(this, "cairn-notify");
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks for a notification soon (a flag and a wake-up: cheap enough for every append). */
    void announce() {
        if (!pending.getAndSet(true)) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void run() {
        Connection connection = null;
        while (running) {
            if (!pending.getAndSet(false)) {
                LockSupport.park(this);
                continue;
            }
            try {
                if (connection == null) {
                    connection = DriverManager.getConnection(url);
                    try (Statement statement = connection.createStatement()) {
                        // A notification carries no data to keep: its commit need not wait for the disk (the
                        // appends it tells of have committed already). It would otherwise take a WAL flush each.
                        statement.execute("SET synchronous_commit = off");
                    }
                }
                try (Statement statement = connection.createStatement()) {
                    // The schema as payload: listeners on the same database tell their stores apart by it.
                    statement.execute("SELECT pg_notify('" + PostgresDialect.APPENDED_CHANNEL
                            + "', current_schema())");
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warn("cannot notify other processes of appends to {}; their subscriptions poll meanwhile",
                            location, e);
                }
                close(connection);
                connection = null;
                pause(TimeUnit.SECONDS.toNanos(1));
            }
            pause(TimeUnit.MICROSECONDS.toNanos(INTERVAL_MICROS));
        }
        close(connection);
    }

    private void pause(long nanos) {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; running && left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // already broken
            }
        }
    }

    /** Stops the thread after the notification it may be sending. */
    void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
