package dev.cairn.internal.sqlite;

import java.io.File;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds a writable store's write-ahead log back into the database on a thread of its own, so that commits do not.
 *
 * <p>SQLite's default checkpoints in the committing thread whenever a commit leaves the log past 1000 pages, and that
 * checkpoint (copying the pages, two fsyncs) was most of the time of small write transactions. Cairn's writer
 * connection turns it off ({@code wal_autocheckpoint = 0}; a per-connection setting, so other processes, Cairn or raw
 * SQLite, keep their own policy) and instead:
 * <ul>
 *   <li>after each write, looks at the log's size (one {@code stat}); once the log has grown past {@link #PAGES}
 *       pages, it wakes this thread, started on the first such write, which runs PASSIVE checkpoints on its own
 *       connection. PASSIVE never waits for readers or writers: it copies what no reader still needs and stops.</li>
 *   <li>SQLite starts the log afresh only at a write that finds it wholly copied, which a sustained write load never
 *       lets the background pass achieve (each commit adds frames while it copies). So once the log passes
 *       {@link #CATCH_UP_FACTOR} times the threshold, the writing thread itself runs one PASSIVE checkpoint while it
 *       still holds the writer: by then the background has copied nearly all of it, and the next write restarts the
 *       log. This also bounds the log when the thread cannot keep up. A reader pinned on an old snapshot stops any
 *       checkpoint past it; that catch-up is then retried only every further threshold's worth of growth.</li>
 *   <li>{@code journal_size_limit} is the threshold, so the restarted log file is cut back to it and growing past
 *       it again is the signal: the file's size is a cheap stand-in for the log's length, which JDBC cannot see.</li>
 * </ul>
 * Readers never start one: a read-only store has no writer and so no checkpointer.
 */
final class Checkpointer {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    /** Log pages after which the background thread checkpoints: SQLite's own default auto-checkpoint. */
    static final int PAGES = 1000;
    static final int CATCH_UP_FACTOR = 4;
    static final String THREAD_NAME = "cairn-checkpointer";
    private static final int WAL_HEADER_BYTES = 32;
    private static final int FRAME_HEADER_BYTES = 24;

    private final File wal;
    private final String location;
    private final Supplier<Connection> opener;
    private final long thresholdBytes;
    private final long catchUpBytes;
    private final Semaphore wake = new Semaphore(0);
    private final ReentrantLock pass = new ReentrantLock();
    /** Guarded by the store's writer: only the thread holding it calls {@link #afterWrite}. */
    private long lastSeenBytes;
    private long nextCatchUpBytes;
    /** Guarded by this. */
    private Thread thread;
    private boolean stopped;

    Checkpointer(File wal, String location, int pageSize, Supplier<Connection> opener) {
        this.wal = wal;
        this.location = location;
        this.opener = opener;
        this.thresholdBytes = WAL_HEADER_BYTES + (long) PAGES * (FRAME_HEADER_BYTES + pageSize);
        this.catchUpBytes = WAL_HEADER_BYTES + (long) CATCH_UP_FACTOR * PAGES * (FRAME_HEADER_BYTES + pageSize);
        this.nextCatchUpBytes = catchUpBytes;
    }

    /** The {@code journal_size_limit} for the writer connection. */
    long thresholdBytes() {
        return thresholdBytes;
    }

    /** Called by the thread holding the writer after its transaction ended, with the writer connection. */
    void afterWrite(Connection writer) {
        long bytes = wal.length();
        if (bytes == lastSeenBytes) {
            return;
        }
        lastSeenBytes = bytes;
        if (bytes < catchUpBytes) {
            nextCatchUpBytes = catchUpBytes;
        } else if (bytes >= nextCatchUpBytes) {
            nextCatchUpBytes = bytes + thresholdBytes;
            passive(writer);
            return;
        }
        if (bytes > thresholdBytes) {
            wake();
        }
    }

    private synchronized void wake() {
        if (stopped) {
            return;
        }
        if (thread == null) {
            thread = new Thread(this::run, THREAD_NAME + " " + location);
            thread.setDaemon(true);
            thread.start();
        }
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void run() {
        Connection connection = null;
        try {
            while (true) {
                wake.acquire();
                wake.drainPermits();
                synchronized (this) {
                    if (stopped) {
                        return;
                    }
                }
                if (connection == null) {
                    connection = opener.get();
                }
                passive(connection);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("the WAL checkpointer of {} stopped ({}); commits will checkpoint the log instead", location,
                    e.toString());
        } finally {
            SqliteEngine.closeQuietly(connection);
        }
    }

    private void passive(Connection connection) {
        // One pass at a time: SQLite refuses a second checkpoint while one runs, so a catch-up by a commit that came
        // in while the thread's pass was copying would do nothing; it waits for that pass and copies the rest.
        pass.lock();
        try {
            SqliteDialect.exec(connection, "PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            // another process is checkpointing, or the disk is failing: the next pass (or the next commit) retries
            LOG.debug("a passive checkpoint of {} failed: {}", location, e.toString());
        } finally {
            pass.unlock();
        }
    }

    /** Stops the thread, letting a pass in flight finish, within {@code timeout}. */
    void stop(Duration timeout) {
        Thread running;
        synchronized (this) {
            stopped = true;
            running = thread;
        }
        if (running == null) {
            return;
        }
        wake.release();
        try {
            running.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (running.isAlive()) {
            LOG.warn("the WAL checkpointer of {} still runs after {} ms; it ends after its current pass", location,
                    timeout.toMillis());
        }
    }
}
