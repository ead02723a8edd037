package dev.cairn.internal.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cairn.BusyException;
import dev.cairn.ReadOnlyException;
import dev.cairn.StorageException;
import dev.cairn.StoreClosedException;
import dev.cairn.TransactionStateException;
import dev.cairn.internal.AppendWatermark;
import dev.cairn.internal.Dialect;
import dev.cairn.internal.Engine;
import dev.cairn.internal.EventIds;
import dev.cairn.internal.Sql;
import dev.cairn.internal.SqlWork;
import dev.cairn.internal.StoreConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store on a PostgreSQL server: two HikariCP pools, one of writer connections ({@code READ COMMITTED}, as writes
 * that lock rows want) and one of reader connections ({@code REPEATABLE READ READ ONLY}, one snapshot per read, set
 * once per connection so that a read costs no round trip for it). Writers run in parallel, each in its own
 * transaction; waits for locks are bounded by {@code lock_timeout} (the busy timeout) and waits for a pooled
 * connection by the pool's connection timeout, both ending in a {@link BusyException}.
 *
 * <p>Closing waits, at most the busy timeout, for the reads and writes in flight (closing a pool aborts the
 * connections in use, which would fail a write that was about to commit), then closes both pools; a read or write
 * that starts after closing began fails with "the store ... is closed", as on SQLite.
 */
public final class PostgresEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);
    private static final String SERVER_NOW =
            "SELECT CAST(floor(extract(epoch FROM clock_timestamp()) * 1000) AS BIGINT)";
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");
    /**
     * Group-commit batches that may run at once, each a transaction on a connection of its own. One per writer would
     * give up group commit, and every free place starts a batch with whatever is queued, so more places make smaller
     * batches: with the one-event appends of a batch sent in one call, 16 appenders measured 0.77 × raw pgjdbc with 4
     * places, about 1.1 × with 2 and 1.2 to 1.5 × with 1 (docs/benchmarks.md). Two, not one: a write that waits for a
     * row lock (held by an open {@link dev.cairn.Transaction}, say) holds up only its own batch, not every write; and
     * the second starts only once writes pile up (AutoCommitSession), so that batches stay large.
     */
    static final int BATCHES = 2;
    /** Writes per batch: below the 64 subtransactions PostgreSQL keeps per transaction in shared memory. */
    static final int MAX_BATCH = 48;

    private final HikariDataSource pool;
    private final HikariDataSource readers;
    private final StoreConfig config;
    private final String location;
    private final String url;
    private AppendListener listener;
    private volatile AppendNotifier notifier;
    private volatile boolean closed;
    /** Reads and write leases in flight, each with what it is for: close waits for them. */
    private final Map<Object, String> inFlight = new ConcurrentHashMap<>();
    private final AppendWatermark watermark = new AppendWatermark();
    /** Threads holding a write lease, to refuse a store-level write on a thread inside its own transaction. */
    private final Map<Thread, Integer> holders = new ConcurrentHashMap<>();

    private final EventIds.Holder eventIds = new EventIds.Holder();

    public PostgresEngine(String url, StoreConfig config) {
        this.config = config;
        this.location = redact(url);
        this.url = url;
        HikariConfig writing = hikari("cairn", Math.max(4, config.readers() * 3));
        HikariConfig reading = hikari("cairn-read", Math.max(2, config.readers() * 2));
        reading.setReadOnly(true);
        reading.setAutoCommit(false);
        // Out of autocommit, the pool's own statements (the init SQL on a new connection) would open a transaction
        // and leave it open until the connection's first read: "idle in transaction" for as long as it waits in the
        // pool, which idle_in_transaction_session_timeout (as the README advises) answers by killing the connection.
        reading.setIsolateInternalQueries(true);
        reading.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
        pool = open(writing);
        try {
            readers = open(reading);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private HikariConfig hikari(String name, int size) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        hikari.setPoolName(name);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(Math.max(250, config.busyTimeout().toMillis()));
        hikari.setReadOnly(config.readOnly());
        // A constant built from a number, not a value from outside: lock waits end at the busy timeout.
        hikari.setConnectionInitSql("SET lock_timeout = " + config.busyTimeout().toMillis());
        return hikari;
    }

    private HikariDataSource open(HikariConfig hikari) {
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new StorageException("cannot connect to " + location + ": " + cause.getMessage()
                    + ". Check that the server is running and the URL, user and database are right", e);
        }
    }

    /** The URL without any password, for messages and logs. */
    public static String redact(String url) {
        return PASSWORD.matcher(url.replaceAll("//[^/@]*:[^/@]*@", "//***@")).replaceAll("$1***");
    }

    @Override
    public EventIds eventIds() {
        return eventIds.get(this);
    }

    @Override
    public Dialect dialect() {
        return PostgresDialect.INSTANCE;
    }

    @Override
    public Clock clock() {
        return config.clock();
    }

    /**
     * The server's clock, unless a clock was given to the store: the hosts of a fleet sharing this database may
     * disagree about the time, but not about the server's, so a heartbeat is never judged stale (or alive) by how far
     * one host's clock is off. {@code clock_timestamp()} is the time of the call, not of the transaction's start.
     */
    @Override
    public Instant sharedNow(Connection connection) throws SQLException {
        if (!config.serverClock()) {
            return config.clock().instant();
        }
        return Instant.ofEpochMilli(Sql.longValue(connection, SERVER_NOW, 0));
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        Object read = enter("a read");
        // A reader connection: every statement of the read sees one snapshot, like a SQLite read transaction.
        try (Connection connection = connection(readers)) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw dialect().translate(e, location, "reading");
        } finally {
            inFlight.remove(read);
        }
    }

    /**
     * One statement in autocommit: its implicit transaction takes one snapshot, which the commit horizon of the log's
     * reads is computed in too, as in {@link #read}; but no {@code BEGIN} goes ahead of it and no {@code COMMIT}, a
     * round trip of its own, after it. The connection goes back to the pool out of autocommit, as {@link #read} wants
     * (the pool would reset it too; doing it here does not depend on that).
     */
    @Override
    public <T> T readStatement(SqlWork<T> work) {
        Object read = enter("a read");
        try (Connection connection = connection(readers)) {
            // No round trip: the driver only commits here when a transaction is open, and none is between reads.
            connection.setAutoCommit(true);
            try {
                return work.run(connection);
            } finally {
                connection.setAutoCommit(false);
            }
        } catch (SQLException e) {
            throw dialect().translate(e, location, "reading");
        } finally {
            inFlight.remove(read);
        }
    }

    @Override
    public Duration busyTimeout() {
        return config.busyTimeout();
    }

    @Override
    public WriteLease acquireWriter(String purpose) {
        if (config.readOnly()) {
            throw new ReadOnlyException(location + " was opened read-only; open it without readOnly() to write");
        }
        Object write = enter(purpose);
        Connection connection;
        try {
            if (writerHeldByCurrentThread()) {
                throw new TransactionStateException("this thread already holds a transaction on " + location
                        + "; use that transaction instead of the store, or finish it first");
            }
            connection = connection(pool);
        } catch (RuntimeException e) {
            inFlight.remove(write);
            throw e;
        }
        Thread owner = Thread.currentThread();
        holders.merge(owner, 1, Integer::sum);
        return new WriteLease() {
            private boolean released;

            @Override
            public Connection connection() {
                return connection;
            }

            @Override
            public void close() {
                if (released) {
                    return;
                }
                released = true;
                holders.computeIfPresent(owner, (thread, count) -> count == 1 ? null : count - 1);
                try {
                    if (!connection.getAutoCommit()) {
                        connection.rollback();
                    }
                    connection.close();
                } catch (SQLException e) {
                    // the pool evicts a connection that fails here
                } finally {
                    inFlight.remove(write);
                }
            }
        };
    }

    private Connection connection(HikariDataSource from) {
        try {
            return from.getConnection();
        } catch (SQLTransientConnectionException e) {
            throw new BusyException("no connection to " + location + " became free within "
                    + config.busyTimeout().toMillis() + " ms (" + e.getMessage() + "); nothing was done", e);
        } catch (SQLException e) {
            throw dialect().translate(e, location, "connecting");
        }
    }

    @Override
    public boolean singleWriter() {
        return dialect().singleWriter();
    }

    @Override
    public boolean writerHeldByCurrentThread() {
        return holders.containsKey(Thread.currentThread());
    }

    @Override
    public synchronized void watchAppends(Runnable wake) {
        if (listener == null) {
            listener = new AppendListener(url, location);
        }
        listener.add(wake);
    }

    @Override
    public void appended(long transactionOrder) {
        watermark.appended(transactionOrder);
        AppendNotifier started = notifier;
        if (started == null) {
            synchronized (this) {
                if (notifier == null && !closed) {
                    notifier = new AppendNotifier(url, location);
                }
                started = notifier;
            }
        }
        if (started != null) {
            started.announce();
        }
    }

    @Override
    public AppendWatermark watermark() {
        return watermark;
    }

    @Override
    public int concurrentBatches() {
        return BATCHES;
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    @Override
    public boolean nestSavepoints() {
        return true;
    }

    /**
     * Counts a read or write in flight, unless the store is closing. Counted first and checked after, so that close,
     * which sets {@code closed} first and then waits for the count, never misses one that got past the check.
     */
    private Object enter(String purpose) {
        Object token = new Object();
        inFlight.put(token, purpose);
        if (closed) {
            inFlight.remove(token);
            throw new StoreClosedException(location);
        }
        return token;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long deadline = System.nanoTime() + config.busyTimeout().toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!inFlight.isEmpty()) {
            LOG.warn("closing {} although {} still run after {} ms; they will fail", location,
                    String.join(", ", inFlight.values()), config.busyTimeout().toMillis());
        }
        synchronized (this) {
            if (listener != null) {
                listener.close();
            }
            if (notifier != null) {
                notifier.close();
            }
        }
        readers.close();
        pool.close();
    }
}
