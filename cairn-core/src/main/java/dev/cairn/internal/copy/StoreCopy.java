package dev.cairn.internal.copy;

import dev.cairn.CairnException;
import dev.cairn.ConflictException;
import dev.cairn.MigrationException;
import dev.cairn.internal.Dialect;
import dev.cairn.internal.Engine;
import dev.cairn.internal.Sql;
import dev.cairn.internal.copy.CopyTables.Table;
import dev.cairn.maintenance.CopyProgress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Copies every row of one store into another, possibly of the other dialect: one read snapshot of the source, one
 * write transaction on the destination (all or nothing), each table in primary-key order, streamed in batches so
 * memory stays constant. Values are copied exactly: integers as integers, text as text, booleans as booleans (SQLite
 * keeps them as 0 and 1). Ids are inserted explicitly, and the destination's id generators (PostgreSQL's identity
 * sequences, and its event sequence) are moved past the copied ids afterwards. PostgreSQL's transaction order of
 * events and its {@code streams} table are not copied ({@link CopyTables#NOT_COPIED}, {@link CopyTables#DERIVED}).
 *
 * <p>The destination's {@code meta} and {@code schema_migrations} come from its own migration (the caller checks
 * that both stores are at the same schema version); every other table is copied, {@code store_identity} included,
 * so the copy is the same store in a new place and a round trip is identical.
 */
public final class StoreCopy {
    static final int BATCH = 500;

    /** Tables a fresh migration fills, with the condition their seeded rows meet; every other one starts empty. */
    private static final Map<String, String> SEEDED = Map.of(
            "store_identity", "1 = 1",
            "event_log_head", "last_sequence = 0",
            "projector_cursors", "last_applied_sequence = -1");

    private enum Kind { INTEGER, BOOLEAN, TEXT, UUID }

    private final Engine source;
    private final Engine destination;
    private final CopyProgress progress;
    private long done;
    private long total;

    private StoreCopy(Engine source, Engine destination, CopyProgress progress) {
        this.source = source;
        this.destination = destination;
        this.progress = progress;
    }

    /** Copies and returns the rows copied per table, in copy order. */
    public static Map<String, Long> copy(Engine source, Engine destination, CopyProgress progress) {
        StoreCopy copy = new StoreCopy(source, destination, progress);
        return source.read(copy::fromSnapshot);
    }

    private Map<String, Long> fromSnapshot(Connection from) throws SQLException {
        List<String> unlisted = CopyTables.unlisted(from, source.dialect());
        if (!unlisted.isEmpty()) {
            throw new MigrationException(source.location() + " has tables this Cairn does not know how to copy: "
                    + String.join(", ", unlisted));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Table table : CopyTables.TABLES) {
            long rows = count(from, table.name(), null);
            counts.put(table.name(), rows);
            total += rows;
        }
        Dialect dialect = destination.dialect();
        try (Engine.WriteLease lease = destination.acquireWriter("copying a store into it")) {
            Connection to = lease.connection();
            try {
                dialect.beginWrite(to);
                requireEmpty(to);
                for (Table table : CopyTables.TABLES) {
                    copyTable(from, to, table);
                }
                Map<String, Long> floor = new java.util.HashMap<>(source.dialect().idPositions(from));
                // Sequences of events deleted at the source (its log head keeps them) stay unused here too.
                floor.merge("events.sequence", scalar(from, "SELECT coalesce(max(last_sequence), 0) FROM "
                        + "event_log_head"), Math::max);
                dialect.advanceIdGenerators(to, floor);
                dialect.commit(to);
            } catch (SQLException e) {
                rollback(to, e);
                throw dialect.translate(e, destination.location(), "copying " + source.location() + " into it");
            } catch (RuntimeException | Error e) {
                rollback(to, e);
                throw e;
            }
        }
        return counts;
    }

    private void requireEmpty(Connection to) throws SQLException {
        for (Table table : CopyTables.TABLES) {
            String seeded = SEEDED.get(table.name());
            long rows = count(to, table.name(), seeded == null ? null : "NOT (" + seeded + ")");
            if (rows > 0) {
                throw new ConflictException("the destination " + destination.location() + " already holds Cairn data ("
                        + rows + " row(s) in " + table.name() + "): copy only into an absent or empty store");
            }
        }
        for (String table : SEEDED.keySet()) {
            try (Statement statement = to.createStatement()) {
                statement.executeUpdate("DELETE FROM " + table);
            }
        }
    }

    private void copyTable(Connection from, Connection to, Table table) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<Kind> kinds = new ArrayList<>();
        describe(from, to, table.name(), columns, kinds);
        String names = String.join(", ", columns);
        String insert = "INSERT INTO " + table.name() + " (" + names + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
        try (Statement select = from.createStatement(); PreparedStatement write = to.prepareStatement(insert)) {
            select.setFetchSize(BATCH);
            try (ResultSet rows = select.executeQuery(
                    "SELECT " + names + " FROM " + table.name() + " ORDER BY " + table.orderBy())) {
                int pending = 0;
                while (rows.next()) {
                    for (int i = 0; i < columns.size(); i++) {
                        transfer(rows, write, i + 1, kinds.get(i), destination.dialect());
                    }
                    write.addBatch();
                    if (++pending == BATCH) {
                        write.executeBatch();
                        done += pending;
                        pending = 0;
                        progress.update(table.name(), done, total);
                    }
                }
                if (pending > 0) {
                    write.executeBatch();
                    done += pending;
                }
            }
        }
        progress.update(table.name(), done, total);
    }

    private static void transfer(ResultSet row, PreparedStatement write, int i, Kind kind, Dialect to)
            throws SQLException {
        switch (kind) {
            case INTEGER -> {
                long value = row.getLong(i);
                if (row.wasNull()) {
                    write.setNull(i, Types.BIGINT);
                } else {
                    write.setLong(i, value);
                }
            }
            case BOOLEAN -> {
                boolean value = row.getBoolean(i);
                if (row.wasNull()) {
                    write.setNull(i, Types.BOOLEAN);
                } else {
                    write.setBoolean(i, value);
                }
            }
            case TEXT -> {
                String value = row.getString(i);
                if (value == null) {
                    write.setNull(i, Types.VARCHAR);
                } else {
                    write.setString(i, value);
                }
            }
            case UUID -> {
                java.util.UUID value = Sql.uuid(row, i);
                if (value == null) {
                    write.setNull(i, Types.OTHER);
                } else {
                    write.setObject(i, to.uuid(value));
                }
            }
        }
    }

    /**
     * The destination's columns and how to carry each; refuses columns that differ between the two schemas, but for
     * those never copied (which one dialect may have alone).
     */
    private void describe(Connection from, Connection to, String table, List<String> columns, List<Kind> kinds)
            throws SQLException {
        Map<String, String> sourceTypes = columnTypes(from, table);
        Map<String, String> destinationTypes = columnTypes(to, table);
        sourceTypes.keySet().removeIf(column -> CopyTables.NOT_COPIED.contains(table + "." + column));
        destinationTypes.keySet().removeIf(column -> CopyTables.NOT_COPIED.contains(table + "." + column));
        if (!sourceTypes.keySet().equals(destinationTypes.keySet())) {
            throw new MigrationException("table " + table + " has columns " + sourceTypes.keySet() + " in "
                    + source.location() + " but " + destinationTypes.keySet() + " in " + destination.location()
                    + ": the schemas differ although both are at the same version");
        }
        for (Map.Entry<String, String> column : destinationTypes.entrySet()) {
            columns.add(column.getKey());
            kinds.add(kind(table, column.getKey(), sourceTypes.get(column.getKey()), column.getValue()));
        }
    }

    private static Kind kind(String table, String column, String sourceType, String destinationType) {
        String both = (sourceType + " " + destinationType).toUpperCase(Locale.ROOT);
        if (both.contains("BOOL")) {
            return Kind.BOOLEAN;
        }
        if (isInteger(sourceType) && isInteger(destinationType)) {
            return Kind.INTEGER;
        }
        if (isText(sourceType) && isText(destinationType)) {
            return Kind.TEXT;
        }
        if (isUuid(sourceType) && isUuid(destinationType)) {
            return Kind.UUID;
        }
        throw new CairnException("cannot copy column " + table + "." + column + " from type " + sourceType + " to "
                + destinationType + ": store copy knows integers, booleans, text and uuids");
    }

    private static boolean isInteger(String type) {
        String upper = type.toUpperCase(Locale.ROOT);
        return upper.contains("INT") || upper.contains("SERIAL"); // PostgreSQL names identity columns bigserial
    }

    /** PostgreSQL's uuid, or the BLOB in which SQLite keeps a uuid's 16 bytes (Cairn has no other BLOB columns). */
    private static boolean isUuid(String type) {
        String upper = type.toUpperCase(Locale.ROOT);
        return upper.equals("UUID") || upper.equals("BLOB");
    }

    private static boolean isText(String type) {
        String upper = type.toUpperCase(Locale.ROOT);
        return upper.contains("TEXT") || upper.contains("CHAR") || upper.contains("CLOB");
    }

    /** Column name to declared type name, in table order. */
    private static Map<String, String> columnTypes(Connection connection, String table) throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData meta = rows.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                types.put(meta.getColumnName(i).toLowerCase(Locale.ROOT), meta.getColumnTypeName(i));
            }
        }
        return types;
    }

    private static long count(Connection connection, String table, String where) throws SQLException {
        return scalar(connection, "SELECT COUNT(*) FROM " + table + (where == null ? "" : " WHERE " + where));
    }

    private static long scalar(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void rollback(Connection to, Throwable failure) {
        try {
            destination.dialect().rollback(to);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
