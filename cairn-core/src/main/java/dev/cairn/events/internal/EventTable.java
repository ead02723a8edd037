package dev.cairn.events.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cairn.CairnException;
import dev.cairn.InvalidInputException;
import dev.cairn.events.ActorKind;
import dev.cairn.events.EventData;
import dev.cairn.events.EventMetadata;
import dev.cairn.events.RecordedEvent;
import dev.cairn.internal.Dialect;
import dev.cairn.internal.Json;
import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The SQL of the {@code events} table, its head and the command receipts: every statement that touches them. */
final class EventTable {
    private static final String COLUMNS = "sequence, event_id, stream_id, stream_version, type, schema_version, "
            + "payload, actor_kind, command_id, causation_id, correlation_id, metadata, occurred_at, recorded_at";
    private static final String INSERT = "INSERT INTO events (" + COLUMNS + ") "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /**
     * What reads select, in the order {@link #map} reads it: the metadata columns last, behind one flag saying whether
     * any of them is set. Most events carry none, and each column read is a call into the driver (into native code,
     * for SQLite), so a replay reads one flag instead of five empty columns.
     */
    private static final String SELECTED = "sequence, event_id, stream_id, stream_version, type, schema_version, "
            + "payload, occurred_at, recorded_at, (actor_kind IS NOT NULL OR command_id IS NOT NULL OR causation_id IS "
            + "NOT NULL OR correlation_id IS NOT NULL OR metadata IS NOT NULL), actor_kind, command_id, causation_id, "
            + "correlation_id, metadata";
    private static final TypeReference<Map<String, String>> EXTRA = new TypeReference<>() {};

    private EventTable() {}

    /**
     * The highest sequence ever handed out: the newest event's, or the stored head when newer events were deleted.
     * The stored head is written only where the newest events could disappear (stream deletion) or where appends
     * must queue on it (many writers), so a SQLite append reads it instead of writing a row for it.
     */
    // Aggregate max over a union, not the two-argument max(), which PostgreSQL does not have (it calls it greatest).
    private static final String HEAD = "SELECT max(head) FROM (SELECT max(sequence) AS head FROM events UNION ALL "
            + "SELECT last_sequence FROM event_log_head WHERE id = 1) heads";

    /**
     * Reserves {@code count} sequences after the head and returns the last of them. On a single-writer database the
     * write transaction already excludes every other append, so reading the head is enough; with many writers the
     * head row is updated, and its row lock makes appends commit in sequence order.
     */
    static long reserve(Connection connection, Dialect dialect, int count) throws SQLException {
        if (dialect.singleWriter()) {
            return head(connection) + count;
        }
        return Sql.one(connection, "UPDATE event_log_head SET last_sequence = "
                + dialect.greatest("last_sequence", "(SELECT coalesce(max(sequence), 0) FROM events)")
                + " + ? WHERE id = 1 RETURNING last_sequence", row -> row.getLong(1), count)
                .orElseThrow(() -> new CairnException("the event log head row is missing; run 'cairn doctor'"));
    }

    /**
     * Waits for every append in flight to commit and keeps new ones out until this transaction ends, by locking the
     * head row that appends update first (on a single-writer database the write transaction already does this, and
     * this is a plain read).
     */
    static void lockHead(Connection connection, Dialect dialect) throws SQLException {
        Sql.one(connection, "SELECT last_sequence FROM event_log_head WHERE id = 1" + dialect.forUpdate(),
                row -> row.getLong(1));
    }

    static long head(Connection connection) throws SQLException {
        return Sql.longValue(connection, HEAD, 0);
    }

    /** Stores the head before events are deleted, so that their sequences are never handed out again. */
    static void keepHead(Connection connection) throws SQLException {
        Sql.update(connection, "UPDATE event_log_head SET last_sequence = (" + HEAD + ") WHERE id = 1");
    }

    static long streamVersion(Connection connection, String streamId) throws SQLException {
        return Sql.longValue(connection, "SELECT MAX(stream_version) FROM events WHERE stream_id = ?", -1, streamId);
    }

    /** Inserts the rows in one statement execution (a batch when there are several). */
    static void insert(Connection connection, Dialect dialect, List<RecordedEvent> events) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            if (events.size() == 1) {
                bind(statement, dialect, events.get(0));
                statement.executeUpdate();
                return;
            }
            for (RecordedEvent event : events) {
                bind(statement, dialect, event);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void bind(PreparedStatement statement, Dialect dialect, RecordedEvent event) throws SQLException {
        EventMetadata metadata = event.metadata();
        statement.setLong(1, event.sequence());
        statement.setObject(2, dialect.uuid(event.eventId()));
        statement.setString(3, event.streamId());
        statement.setLong(4, event.streamVersion());
        statement.setString(5, event.type());
        statement.setInt(6, event.schemaVersion());
        statement.setString(7, event.payload());
        setNullable(statement, 8, metadata.actorKind() == null ? null : metadata.actorKind().storedName());
        setNullable(statement, 9, metadata.commandId());
        setNullable(statement, 10, metadata.causationId());
        setNullable(statement, 11, metadata.correlationId());
        setNullable(statement, 12, metadata.extra().isEmpty() ? null
                : ExactText.escapeLoneSurrogates(Json.write(metadata.extra())));
        statement.setLong(13, event.occurredAt().toEpochMilli());
        statement.setLong(14, event.recordedAt().toEpochMilli());
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    /** The stored form of an event about to be inserted. */
    static RecordedEvent toRecord(long sequence, String streamId, long version, EventData data, Instant now) {
        // Millisecond precision is what the column keeps; truncating here makes the returned record equal the read one.
        Instant occurred = data.occurredAt() == null ? now : Instant.ofEpochMilli(data.occurredAt().toEpochMilli());
        // Unpaired surrogates become escapes here, not in the column's UTF-8 (which would turn them into '?').
        return new RecordedEvent(sequence, data.eventId(), streamId, version, data.type(), data.schemaVersion(),
                ExactText.escapeLoneSurrogates(data.payload()), data.metadata(), occurred, now);
    }

    static RecordedEvent map(ResultSet row) throws SQLException {
        EventMetadata metadata = row.getBoolean(10)
                ? new EventMetadata(actorKind(row.getString(11)), row.getString(12), row.getString(13),
                        row.getString(14), extra(row.getString(15)))
                : EventMetadata.EMPTY;
        return new RecordedEvent(row.getLong(1), Sql.uuid(row, 2), row.getString(3), row.getLong(4), row.getString(5),
                row.getInt(6), row.getString(7), metadata, Instant.ofEpochMilli(row.getLong(8)),
                Instant.ofEpochMilli(row.getLong(9)));
    }

    /** The actor kind of a row; null when none was recorded or a newer Cairn recorded one this Cairn does not know. */
    private static ActorKind actorKind(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return ActorKind.fromStored(stored);
        } catch (InvalidInputException e) {
            return null; // keep the event readable, as extra() does with richer metadata
        }
    }

    private static Map<String, String> extra(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Json.parse(json, EXTRA);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Written by a newer Cairn with richer metadata: keep the event readable, drop what cannot be read.
            return Map.of();
        }
    }

    /** One page of events after {@code after}, in sequence order, optionally of one stream and some types. */
    static List<RecordedEvent> page(Connection connection, long after, String streamId, List<String> types,
            int pageSize) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(SELECTED).append(" FROM events WHERE sequence > ?");
        List<Object> args = new ArrayList<>(3 + types.size());
        args.add(after);
        if (streamId != null) {
            sql.append(" AND stream_id = ?");
            args.add(streamId);
        }
        if (!types.isEmpty()) {
            sql.append(" AND type IN (").append("?, ".repeat(types.size() - 1)).append("?)");
            args.addAll(types);
        }
        sql.append(" ORDER BY sequence LIMIT ?");
        args.add(pageSize);
        return Sql.list(connection, sql.toString(), EventTable::map, args.toArray());
    }

    /** One page of a stream from a version on, in version order. */
    static List<RecordedEvent> streamPage(Connection connection, String streamId, long fromVersion, int pageSize)
            throws SQLException {
        return Sql.list(connection, "SELECT " + SELECTED + " FROM events WHERE stream_id = ? AND stream_version >= ? "
                + "ORDER BY stream_version LIMIT ?", EventTable::map, streamId, fromVersion, pageSize);
    }

    static List<RecordedEvent> range(Connection connection, long first, long last) throws SQLException {
        return Sql.list(connection, "SELECT " + SELECTED + " FROM events WHERE sequence BETWEEN ? AND ? "
                + "ORDER BY sequence", EventTable::map, first, last);
    }

    static long deleteStream(Connection connection, String streamId) throws SQLException {
        keepHead(connection);
        return Sql.update(connection, "DELETE FROM events WHERE stream_id = ?", streamId);
    }

    /** The first and last sequence a command's append stored, when it was appended before. */
    static long[] receipt(Connection connection, String commandId) throws SQLException {
        return Sql.one(connection, "SELECT first_sequence, last_sequence FROM command_receipts WHERE command_id = ?",
                row -> new long[] {row.getLong(1), row.getLong(2)}, commandId).orElse(null);
    }

    static void recordReceipt(Connection connection, String commandId, long first, long last, Instant at)
            throws SQLException {
        Sql.update(connection, "INSERT INTO command_receipts (command_id, first_sequence, last_sequence, accepted_at) "
                + "VALUES (?, ?, ?, ?)", commandId, first, last, at);
    }
}
