package dev.cairn.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import dev.cairn.internal.migration.MigrationSet;
import dev.cairn.internal.migration.SqlScript;
import org.sqlite.SQLiteConfig;

/**
 * The baseline every workload is compared with: what a developer writes by hand on plain sqlite-jdbc. The same table
 * shape as Cairn's event log, the same pragmas, prepared statements, one explicit transaction per unit of work, and
 * none of Cairn's extra work (version checks, the sequence head, receipts, projections, JSON validation).
 */
public final class RawEvents implements AutoCloseable {
    /**
     * The DDL of Cairn's own {@code events} table and its indexes, taken from the shipped migration, so the baseline's
     * table can never drift from the one it is compared with.
     */
    static final List<String> DDL = MigrationSet.forDialect("sqlite").migrations().stream()
            .filter(migration -> migration.name().equals("event_log"))
            .flatMap(migration -> SqlScript.split(migration.sql()).stream())
            .map(SqlScript.Statement::sql)
            .filter(sql -> sql.startsWith("CREATE TABLE events ")
                    || sql.matches("(?s)CREATE UNIQUE INDEX \\w+ ON events .*"))
            .toList();
    private static final String INSERT = "INSERT INTO events (event_id, stream_id, stream_version, type, "
            + "schema_version, payload, occurred_at, recorded_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?)";
    private static final String SELECT = "SELECT sequence, event_id, stream_id, stream_version, type, schema_version, "
            + "payload, actor_kind, command_id, causation_id, correlation_id, metadata, occurred_at, recorded_at "
            + "FROM events ";

    /** A row as the raw baseline reads it: the same columns, no JSON parsing. */
    public record Row(long sequence, String eventId, String streamId, long streamVersion, String type,
            int schemaVersion, String payload, String actorKind, String commandId, String causationId,
            String correlationId, String metadata, long occurredAt, long recordedAt) {}

    private final Connection connection;
    private final PreparedStatement insert;

    public RawEvents(Path file) throws SQLException {
        this(file, "NORMAL");
    }

    /** @param synchronous the {@code synchronous} pragma: NORMAL, or FULL to sync every commit */
    public RawEvents(Path file, String synchronous) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        connection = config.createConnection("jdbc:sqlite:" + file);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode = WAL");
            statement.execute("PRAGMA foreign_keys = ON");
            statement.execute("PRAGMA synchronous = " + ("FULL".equals(synchronous) ? "FULL" : "NORMAL"));
            if (DDL.size() != 3) {
                throw new IllegalStateException("expected the events table and its two unique indexes in the event log "
                        + "migration, found " + DDL);
            }
            boolean exists;
            try (ResultSet tables = statement.executeQuery(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'")) {
                exists = tables.next();
            }
            if (!exists) {
                for (String ddl : DDL) {
                    statement.execute(ddl);
                }
            }
        }
        insert = connection.prepareStatement(INSERT);
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
        exec("BEGIN IMMEDIATE");
        try {
            bind(streamId, version, type, payload);
            insert.executeUpdate();
            exec("COMMIT");
        } catch (SQLException e) {
            exec("ROLLBACK");
            throw e;
        }
    }

    /** {@code count} events of one stream in one transaction, as a JDBC batch. */
    public void appendBatch(String streamId, long firstVersion, int count, String type, String payload)
            throws SQLException {
        exec("BEGIN IMMEDIATE");
        try {
            for (int i = 0; i < count; i++) {
                bind(streamId, firstVersion + i, type, payload);
                insert.addBatch();
            }
            insert.executeBatch();
            exec("COMMIT");
        } catch (SQLException e) {
            exec("ROLLBACK");
            throw e;
        }
    }

    private void bind(String streamId, long version, String type, String payload) throws SQLException {
        long now = System.currentTimeMillis();
        insert.setString(1, UUID.randomUUID().toString());
        insert.setString(2, streamId);
        insert.setLong(3, version);
        insert.setString(4, type);
        insert.setString(5, payload);
        insert.setLong(6, now);
        insert.setLong(7, now);
    }

    /** Reads every row after {@code afterSequence} in sequence order, in pages like a careful hand-written reader. */
    public long scanFrom(long afterSequence, int pageSize, Consumer<Row> sink) throws SQLException {
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
        }
    }

    private static Row map(ResultSet r) throws SQLException {
        return new Row(r.getLong(1), r.getString(2), r.getString(3), r.getLong(4), r.getString(5), r.getInt(6),
                r.getString(7), r.getString(8), r.getString(9), r.getString(10), r.getString(11), r.getString(12),
                r.getLong(13), r.getLong(14));
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
