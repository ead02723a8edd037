package dev.cairn.bench;

import dev.cairn.Cairn;
import dev.cairn.internal.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

/**
 * The baseline every workload is compared with: what a developer writes by hand on plain sqlite-jdbc (or pgjdbc for
 * the PostgreSQL rows). The same table shape as Cairn's event log, the same pragmas, prepared statements, one explicit
 * transaction per unit of work, and none of Cairn's extra work (version checks, the sequence head, receipts,
 * projections, JSON validation, NOTIFY).
 *
 * <p>On PostgreSQL the sequence comes from a sequence object ({@code DEFAULT nextval}), which is what a hand-written
 * store does: sequences are unique and increasing in allocation order, but concurrent transactions may commit out of
 * that order, so a reader paging by {@code sequence > cursor} can skip an event that commits later with a lower
 * sequence. Cairn does not allow that (its readers stop below the oldest transaction still open, and order by
 * transaction); the raw side does not pay for it. Stream versions are only guarded by the unique index, as on SQLite.
 */
public final class RawEvents implements AutoCloseable {
    /** What a hand-written store adds on PostgreSQL to Cairn's table: a sequence object numbering its rows. */
    private static final List<String> PG_SEQUENCE = List.of("CREATE SEQUENCE IF NOT EXISTS events_sequence",
            "ALTER TABLE events ALTER COLUMN sequence SET DEFAULT nextval('events_sequence')");
    /**
     * The row Cairn writes for an event with no id, metadata or time of its own: the id is derived when read and
     * not stored, the time it happened is the time it was recorded (migration 0015).
     */
    private static final String INSERT = "INSERT INTO events (stream_id, stream_version, type, schema_version, "
            + "payload, recorded_at) VALUES (?, ?, ?, 1, ?, ?)";
    private static final String SELECT = "SELECT sequence, event_id, stream_id, stream_version, type, schema_version, "
            + "payload, actor_kind, command_id, causation_id, correlation_id, metadata, occurred_at, recorded_at "
            + "FROM events ";

    /** A row as the raw baseline reads it: the same columns, no JSON parsing. */
    public record Row(long sequence, UUID eventId, String streamId, long streamVersion, String type,
            int schemaVersion, String payload, String actorKind, String commandId, String causationId,
            String correlationId, String metadata, long occurredAt, long recordedAt) {}

    private final Connection connection;
    private final PreparedStatement insert;
    /** Where this baseline lives, to open more connections to it: a SQLite file or a PostgreSQL URL. */
    private final Path file;
    private final String synchronous;
    private final String url;

    public RawEvents(Path file) throws SQLException {
        this(file, "NORMAL");
    }

    /** A connection to a PostgreSQL schema (in the URL's {@code currentSchema}), creating the table if missing. */
    private RawEvents(String url) throws SQLException {
        this.file = null;
        this.synchronous = null;
        this.url = url;
        connection = DriverManager.getConnection(url);
        boolean exists;
        try (Statement statement = connection.createStatement()) {
            try (ResultSet tables = statement.executeQuery("SELECT to_regclass('events') IS NOT NULL")) {
                exists = tables.next() && tables.getBoolean(1);
            }
            if (!exists) {
                createCairnTables(url);
                for (String ddl : PG_SEQUENCE) {
                    statement.execute(ddl);
                }
            }
        }
        connection.setAutoCommit(false);
        insert = connection.prepareStatement(INSERT);
    }

    /** @param synchronous the {@code synchronous} pragma: NORMAL, or FULL to sync every commit */
    public RawEvents(Path file, String synchronous) throws SQLException {
        this.file = file;
        this.synchronous = synchronous;
        this.url = null;
        SQLiteConfig config = new SQLiteConfig();
        // SQLite's own busy handler sleeps and is unfair: with 16 threads and FULL sync one thread was once starved
        // past 10 s (SQLITE_BUSY), which ended the whole run. The baseline must finish; its tail latency shows the cost.
        config.setBusyTimeout(60_000);
        connection = config.createConnection("jdbc:sqlite:" + file);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode = WAL");
            statement.execute("PRAGMA foreign_keys = ON");
            statement.execute("PRAGMA synchronous = " + ("FULL".equals(synchronous) ? "FULL" : "NORMAL"));
            boolean exists;
            try (ResultSet tables = statement.executeQuery(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'")) {
                exists = tables.next();
            }
            if (!exists) {
                createCairnTables(file.toString());
            }
        }
        insert = connection.prepareStatement(INSERT);
    }

    /**
     * Cairn's own tables, made by its migrations: the baseline's {@code events} table can never drift from the one it
     * is compared with (the other tables stay empty).
     */
    private static void createCairnTables(String location) {
        Cairn.open(location).close();
    }

    /**
     * A new, empty baseline named {@code name}: a fresh SQLite file in the work directory, or on the PostgreSQL rows
     * ({@code backend} "postgres") a fresh schema that {@link Workloads#dropSchemas()} removes.
     */
    static RawEvents fresh(String backend, String name, String synchronous) throws Exception {
        if (Workloads.POSTGRES.equals(backend)) {
            return new RawEvents(Workloads.freshSchema());
        }
        return new RawEvents(Workloads.fresh(name), synchronous);
    }

    /** Another connection to the same file or schema, as each thread of a hand-written store would hold. */
    RawEvents reopen() throws SQLException {
        return url != null ? new RawEvents(url) : new RawEvents(file, synchronous);
    }

    public static RawEvents fresh(Path file) throws Exception {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new RawEvents(file);
    }

    /** One event in its own transaction. */
    public void appendOne(String streamId, long version, String type, String payload) throws SQLException {
        begin();
        try {
            bind(streamId, version, type, payload);
            insert.executeUpdate();
            commit();
        } catch (SQLException e) {
            rollback();
            throw e;
        }
    }

    /** {@code count} events of one stream in one transaction, as a JDBC batch. */
    public void appendBatch(String streamId, long firstVersion, int count, String type, String payload)
            throws SQLException {
        begin();
        try {
            for (int i = 0; i < count; i++) {
                bind(streamId, firstVersion + i, type, payload);
                insert.addBatch();
            }
            insert.executeBatch();
            commit();
        } catch (SQLException e) {
            rollback();
            throw e;
        }
    }

    private void bind(String streamId, long version, String type, String payload) throws SQLException {
        insert.setString(1, streamId);
        insert.setLong(2, version);
        insert.setString(3, type);
        insert.setString(4, payload);
        insert.setLong(5, System.currentTimeMillis());
    }

    /** Reads every row after {@code afterSequence} in sequence order, in pages like a careful hand-written reader. */
    public long scanFrom(long afterSequence, int pageSize, Consumer<Row> sink) throws SQLException {
        try {
            return scan(afterSequence, pageSize, sink);
        } finally {
            endRead();
        }
    }

    private long scan(long afterSequence, int pageSize, Consumer<Row> sink) throws SQLException {
        long cursor = afterSequence;
        long count = 0;
        try (PreparedStatement page = connection.prepareStatement(
                SELECT + "WHERE sequence > ? ORDER BY sequence LIMIT ?")) {
            while (true) {
                page.setLong(1, cursor);
                page.setInt(2, pageSize);
                int rows = 0;
                try (ResultSet result = page.executeQuery()) {
                    while (result.next()) {
                        Row row = map(result);
                        cursor = row.sequence();
                        sink.accept(row);
                        rows++;
                    }
                }
                count += rows;
                if (rows < pageSize) {
                    return count;
                }
            }
        }
    }

    /** One stream's rows in version order. */
    public long readStream(String streamId, Consumer<Row> sink) throws SQLException {
        try {
            return read(streamId, sink);
        } finally {
            endRead();
        }
    }

    private long read(String streamId, Consumer<Row> sink) throws SQLException {
        long count = 0;
        try (PreparedStatement statement = connection.prepareStatement(
                SELECT + "WHERE stream_id = ? ORDER BY stream_version")) {
            statement.setString(1, streamId);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    sink.accept(map(result));
                    count++;
                }
            }
        }
        return count;
    }

    public long lastSequence() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT coalesce(max(sequence), 0) FROM events")) {
            result.next();
            return result.getLong(1);
        } finally {
            endRead();
        }
    }

    private static Row map(ResultSet r) throws SQLException {
        return new Row(r.getLong(1), Sql.uuid(r, 2), r.getString(3), r.getLong(4), r.getString(5), r.getInt(6),
                r.getString(7), r.getString(8), r.getString(9), r.getString(10), r.getString(11), r.getString(12),
                r.getLong(13), r.getLong(14));
    }

    /** SQLite: takes the write lock up front. PostgreSQL: the connection is not in autocommit, so it has begun. */
    private void begin() throws SQLException {
        if (url == null) {
            exec("BEGIN IMMEDIATE");
        }
    }

    private void commit() throws SQLException {
        if (url == null) {
            exec("COMMIT");
        } else {
            connection.commit();
        }
    }

    private void rollback() throws SQLException {
        if (url == null) {
            exec("ROLLBACK");
        } else {
            connection.rollback();
        }
    }

    /** Ends the read transaction a PostgreSQL connection out of autocommit began. */
    private void endRead() throws SQLException {
        if (url != null) {
            connection.commit();
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        insert.close();
        connection.close();
    }
}
