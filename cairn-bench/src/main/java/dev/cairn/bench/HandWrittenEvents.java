package dev.cairn.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

/**
 * The second baseline, SQLite only: the event store a developer writes by hand in twenty lines. Its own small table
 * (an integer primary key, one unique index on stream and version, no event id), WAL, the same {@code synchronous} as
 * the row's other sides, prepared statements, and Cairn's transaction shape: read the stream's max(version), check the
 * expected version, insert, commit. {@link RawEvents} keeps Cairn's table (with its random-id index before v7 ids);
 * this one shows what that table costs.
 */
public final class HandWrittenEvents implements AutoCloseable {
    static final String DDL = "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, stream TEXT NOT NULL, "
            + "version INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL, "
            + "UNIQUE (stream, version))";

    /** A row as this store reads it: its columns, no JSON parsing (as {@link RawEvents.Row}). */
    public record Row(long seq, String stream, long version, String type, String payload, long createdAt) {}

    private final Connection connection;
    private final PreparedStatement head;
    private final PreparedStatement insert;

    /** @param synchronous the {@code synchronous} pragma: NORMAL, or FULL to sync every commit */
    public HandWrittenEvents(Path file, String synchronous) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        connection = config.createConnection("jdbc:sqlite:" + file);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode = WAL");
            statement.execute("PRAGMA synchronous = " + ("FULL".equals(synchronous) ? "FULL" : "NORMAL"));
            statement.execute(DDL);
        }
        head = connection.prepareStatement("SELECT coalesce(max(version), -1) FROM events WHERE stream = ?");
        insert = connection.prepareStatement(
                "INSERT INTO events (stream, version, type, payload, created_at) VALUES (?, ?, ?, ?, ?)");
    }

    /** A new, empty store in the work directory. */
    static HandWrittenEvents fresh(String name, String synchronous) throws SQLException {
        return new HandWrittenEvents(Workloads.fresh(name), synchronous);
    }

    /** {@code count} events of one stream in one transaction, after the stream's last version {@code expected}. */
    public void append(String stream, long expected, int count, String type, String payload) throws SQLException {
        exec("BEGIN IMMEDIATE");
        try {
            head.setString(1, stream);
            long actual;
            try (ResultSet result = head.executeQuery()) {
                result.next();
                actual = result.getLong(1);
            }
            if (actual != expected) {
                throw new IllegalStateException("stream " + stream + " is at version " + actual + ", not " + expected);
            }
            long now = System.currentTimeMillis();
            for (int i = 0; i < count; i++) {
                insert.setString(1, stream);
                insert.setLong(2, expected + 1 + i);
                insert.setString(3, type);
                insert.setString(4, payload);
                insert.setLong(5, now);
                if (count == 1) {
                    insert.executeUpdate();
                } else {
                    insert.addBatch();
                }
            }
            if (count > 1) {
                insert.executeBatch();
            }
            exec("COMMIT");
        } catch (SQLException | RuntimeException e) {
            exec("ROLLBACK");
            throw e;
        }
    }

    /** Reads every row after {@code afterSeq} in order, in pages, as {@link RawEvents#scanFrom} does. */
    public long scanFrom(long afterSeq, int pageSize, Consumer<Row> sink) throws SQLException {
        long cursor = afterSeq;
        long count = 0;
        try (PreparedStatement page = connection.prepareStatement("SELECT seq, stream, version, type, payload, "
                + "created_at FROM events WHERE seq > ? ORDER BY seq LIMIT ?")) {
            while (true) {
                page.setLong(1, cursor);
                page.setInt(2, pageSize);
                int rows = 0;
                try (ResultSet r = page.executeQuery()) {
                    while (r.next()) {
                        Row row = new Row(r.getLong(1), r.getString(2), r.getLong(3), r.getString(4), r.getString(5),
                                r.getLong(6));
                        cursor = row.seq();
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

    public long lastSequence() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT coalesce(max(seq), 0) FROM events")) {
            result.next();
            return result.getLong(1);
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        head.close();
        insert.close();
        connection.close();
    }
}
