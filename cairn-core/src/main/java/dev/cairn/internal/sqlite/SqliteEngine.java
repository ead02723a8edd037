package dev.cairn.internal.sqlite;

import dev.cairn.BusyException;
import dev.cairn.CairnException;
import dev.cairn.Durability;
import dev.cairn.ReadOnlyException;
import dev.cairn.StorageException;
import dev.cairn.StoreClosedException;
import dev.cairn.TransactionStateException;
import dev.cairn.internal.Dialect;
import dev.cairn.internal.Engine;
import dev.cairn.internal.EventIds;
import dev.cairn.internal.SqlWork;
import dev.cairn.internal.StatementCache;
import dev.cairn.internal.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * A SQLite store: one writer connection and a small pool of read-only connections on one file in WAL mode.
 *
 * <p>SQLite allows one writer at a time per file, across all processes. Inside a process the writer connection is
 * handed out by a fair permit, so threads queue in order instead of racing SQLite's busy handler; between processes,
 * {@code BEGIN IMMEDIATE} waits on SQLite's busy timeout. Both waits are bounded by the configured busy timeout and
 * end in a {@link BusyException} naming the file. Because the lock is a permit and not the connection itself, a
 * future group-commit writer can let one holder commit the work of many queued callers in one transaction.
 *
 * <p>Readers run on their own connections and see the last committed state; in WAL mode they never wait for the
 * writer. Every connection gets the same pragmas when it is opened, never just the first one.
 *
 * <p>Closing waits, each wait bounded by the busy timeout, for the write and the reads in flight, then closes every
 * connection the store ever opened ({@code allReaders} holds each reader, idle or borrowed). Whatever is taken or
 * handed back after closing began is checked against {@code closed} under the same lock, so no connection is left
 * open, and a write or read that starts after it fails with "the store ... is closed".
 */
public final class SqliteEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteEngine.class);
    /** Pages of write-ahead log after which a commit checkpoints it; see {@link #applyPragmas}. */
    static final int AUTOCHECKPOINT_PAGES = 8_192;

    private final Path path;
    private final StoreConfig config;
    private final String location;
    private final Connection writer;
    private final Semaphore writerPermit = new Semaphore(1, true);
    private volatile Thread writerHolder;
    private volatile String writerPurpose;
    private volatile long writerSince;
    private final ArrayBlockingQueue<Connection> idleReaders;
    /** Every reader connection not yet closed, idle or borrowed; guarded by itself, as is adding to the idle pool. */
    private final List<Connection> allReaders = new ArrayList<>();
    private final Semaphore readerPermits;
    private volatile boolean closed;

    private final EventIds.Holder eventIds = new EventIds.Holder();

    public SqliteEngine(Path path, StoreConfig config) {
        this.path = path;
        this.config = config;
        this.location = path.toString();
        this.idleReaders = new ArrayBlockingQueue<>(config.readers());
        this.readerPermits = new Semaphore(config.readers(), true);
        this.writer = config.readOnly() ? null : open(false);
    }

    @Override
    public EventIds eventIds() {
        return eventIds.get(this);
    }

    @Override
    public Dialect dialect() {
        return SqliteDialect.INSTANCE;
    }

    @Override
    public Clock clock() {
        return config.clock();
    }

    @Override
    public String location() {
        return location;
    }

    public Path path() {
        return path;
    }

    @Override
    public Duration busyTimeout() {
        return config.busyTimeout();
    }

    private Connection open(boolean reader) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, config.busyTimeout().toMillis()));
        // Cairn never asks for generated keys (it chooses its sequences and reads back with RETURNING); left on, the
        // driver matches every statement it executes against a regular expression to see whether it might have to
        // produce them: an eighth of the Java time of a single-event append.
        sqlite.setGetGeneratedKeys(false);
        if (config.readOnly()) {
            sqlite.setReadOnly(true);
        }
        Connection connection = null;
        try {
            String file = sealedUri().orElse(path.toString());
            connection = StatementCache.wrap(sqlite.createConnection("jdbc:sqlite:" + file));
            applyPragmas(connection, reader);
            BusyWait.install(connection, config.busyTimeout().toMillis());
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw dialect().translate(e, location, "opening the database");
        }
    }

    /**
     * A read-only store on a file nobody can write (its directory is read-only and holds no write-ahead log) is opened
     * as immutable: SQLite could not create the {@code -shm} file a WAL reader needs, and no writer can exist that it
     * would have to coordinate with, since a writer would need that log.
     */
    private Optional<String> sealedUri() {
        Path directory = path.toAbsolutePath().getParent();
        if (!config.readOnly() || directory == null || Files.isWritable(directory)
                || Files.exists(Path.of(path + "-wal"))) {
            return Optional.empty();
        }
        return Optional.of(path.toAbsolutePath().toUri() + "?immutable=1");
    }

    private void applyPragmas(Connection connection, boolean reader) throws SQLException {
        long deadline = System.nanoTime() + config.busyTimeout().toNanos();
        try (Statement statement = connection.createStatement()) {
            if (!config.readOnly()) {
                String mode = withBusyRetry(deadline, ignored -> queryString(statement, "PRAGMA journal_mode = WAL"));
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new StorageException(location + " cannot use write-ahead logging (journal_mode stays '"
                            + mode + "'); put the database on a local filesystem", null);
                }
            }
            statement.execute("PRAGMA foreign_keys = ON");
            statement.execute("PRAGMA synchronous = " + (config.durability() == Durability.FULL ? "FULL" : "NORMAL"));
            if (reader) {
                statement.execute("PRAGMA query_only = ON");
            } else {
                // The commit that takes the log past this many pages checkpoints it, inside that commit: copying the
                // pages back into the database and syncing both files. Every 8,192 pages (32 MiB) instead of SQLite's
                // 1,000 makes those stalls eight times rarer, and an append-heavy log's repeated writes to the same
                // last pages are copied back once per checkpoint instead of once per thousand pages. The size limit
                // gives the disk back after a checkpoint that readers held up let the log grow past it.
                statement.execute("PRAGMA wal_autocheckpoint = " + AUTOCHECKPOINT_PAGES);
                statement.execute("PRAGMA journal_size_limit = " + (64L << 20));
            }
        }
    }

    /**
     * Switching a new file to WAL needs an exclusive lock for a moment; when several processes open a fresh file at
     * once SQLite may report busy without waiting, so wait here, within the same bound.
     */
    private static <T> T withBusyRetry(long deadline, SqlWork<T> work) throws SQLException {
        while (true) {
            try {
                return work.run(null);
            } catch (SQLException e) {
                if (SqliteDialect.primaryCode(e) != SqliteDialect.SQLITE_BUSY || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static String queryString(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        Connection connection = borrowReader();
        boolean healthy = true;
        try {
            SqliteDialect.exec(connection, "BEGIN");
            try {
                return work.run(connection);
            } finally {
                SqliteDialect.exec(connection, "COMMIT");
            }
        } catch (SQLException e) {
            healthy = false;
            throw dialect().translate(e, location, "reading");
        } catch (RuntimeException | Error e) {
            healthy = false;
            throw e;
        } finally {
            returnReader(connection, healthy);
        }
    }

    private Connection borrowReader() {
        ensureOpen();
        try {
            if (!readerPermits.tryAcquire(config.busyTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BusyException("all " + config.readers() + " reader connections of " + location
                        + " stayed in use for " + config.busyTimeout().toMillis() + " ms; raise readers(n) or "
                        + "make long reads page through the data");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException("interrupted while waiting for a reader connection of " + location, e);
        }
        if (closed) {
            readerPermits.release();
            throw closedException();
        }
        Connection connection = idleReaders.poll();
        if (connection != null) {
            return connection;
        }
        try {
            connection = open(true);
        } catch (RuntimeException e) {
            readerPermits.release();
            throw e;
        }
        synchronized (allReaders) {
            if (!closed) {
                allReaders.add(connection);
                return connection;
            }
        }
        // Closing began while this reader was being opened: close() will not see it, so close it here.
        closeQuietly(connection);
        readerPermits.release();
        throw closedException();
    }

    private void returnReader(Connection connection, boolean healthy) {
        if (!healthy) {
            // A reader whose work failed may hold a half-read statement or a transaction: start afresh next time.
            try {
                SqliteDialect.exec(connection, "ROLLBACK");
            } catch (SQLException ignored) {
                // no transaction was open
            }
        }
        // Under the lock close() takes to close every reader: either it sees this one in allReaders, or this sees
        // closed and closes it, never neither (a reader put back into the pool after close would stay open).
        synchronized (allReaders) {
            if (closed) {
                allReaders.remove(connection);
                closeQuietly(connection);
            } else {
                idleReaders.offer(connection);
            }
        }
        readerPermits.release();
    }

    @Override
    public WriteLease acquireWriter(String purpose) {
        return acquireWriter(purpose, System.nanoTime() + config.busyTimeout().toNanos());
    }

    @Override
    public WriteLease acquireWriter(String purpose, long deadline) {
        ensureOpen();
        if (writer == null) {
            throw new ReadOnlyException(location + " was opened read-only; open it without readOnly() to write");
        }
        if (writerHolder == Thread.currentThread()) {
            throw new TransactionStateException("this thread already holds the writer of " + location + " for "
                    + writerPurpose + "; use that transaction instead of the store, or finish it first");
        }
        try {
            if (!writerPermit.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                String holder = writerPurpose;
                long heldFor = (System.nanoTime() - writerSince) / 1_000_000;
                throw new BusyException("the writer of " + location + " stayed busy for "
                        + config.busyTimeout().toMillis() + " ms (held " + heldFor + " ms by " + holder
                        + "); nothing was written. Retry, or keep transactions short");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException("interrupted while waiting for the writer of " + location, e);
        }
        if (closed) {
            // Queued for the writer while the store was closing: close() closed it after the write before this one.
            writerPermit.release();
            throw closedException();
        }
        writerHolder = Thread.currentThread();
        writerPurpose = purpose;
        writerSince = System.nanoTime();
        return new Lease();
    }

    @Override
    public boolean singleWriter() {
        return dialect().singleWriter();
    }

    @Override
    public boolean writerHeldByCurrentThread() {
        return writerHolder == Thread.currentThread();
    }

    private final class Lease implements WriteLease {
        private boolean released;

        @Override
        public Connection connection() {
            return writer;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                writerHolder = null;
                writerPurpose = null;
                writerPermit.release();
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private StoreClosedException closedException() {
        return new StoreClosedException(location);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long timeout = config.busyTimeout().toMillis();
        if (writer != null) {
            // Wait for the write in flight, so closing never cuts a commit in half. Writers queued behind it find the
            // store closed when their turn comes and fail without touching the connection.
            String holder = writerPurpose;
            boolean acquired = tryAcquire(writerPermit, 1, timeout);
            if (!acquired) {
                LOG.warn("closing {} although {} still holds its writer after {} ms; that write will fail", location,
                        holder != null ? holder : writerPurpose, timeout);
            }
            try {
                // Fold the WAL back into the database so that the file is self-contained when nobody else has it open.
                SqliteDialect.exec(writer, "PRAGMA wal_checkpoint(PASSIVE)");
            } catch (SQLException ignored) {
                // best effort: another process may be reading
            }
            closeQuietly(writer);
            if (acquired) {
                writerPermit.release();
            }
        }
        // Let the reads in flight finish on their connections, then close every reader, borrowed ones included.
        boolean readsDone = tryAcquire(readerPermits, config.readers(), timeout);
        if (!readsDone) {
            LOG.warn("closing {} although reads still run after {} ms; they will fail", location, timeout);
        }
        synchronized (allReaders) {
            allReaders.forEach(SqliteEngine::closeQuietly);
            allReaders.clear();
            idleReaders.clear();
        }
        if (readsDone) {
            readerPermits.release(config.readers());
        }
    }

    private static boolean tryAcquire(Semaphore semaphore, int permits, long millis) {
        try {
            return semaphore.tryAcquire(permits, millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing useful to do when a close fails
            }
        }
    }

    /** Rethrows Cairn's own exceptions and translates driver ones. */
    public CairnException translate(SQLException e, String doing) {
        return dialect().translate(e, location, doing);
    }
}
