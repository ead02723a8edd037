package dev.cairn.events.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cairn.CairnException;
import dev.cairn.ConflictException;
import dev.cairn.InvalidInputException;
import dev.cairn.events.ActorKind;
import dev.cairn.events.EventData;
import dev.cairn.events.EventMetadata;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.LogPosition;
import dev.cairn.events.RecordedEvent;
import dev.cairn.events.StreamAppend;
import dev.cairn.internal.Dialect;
import dev.cairn.internal.EventIds;
import dev.cairn.internal.Json;
import dev.cairn.internal.Sql;
import dev.cairn.internal.StatementCache;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The SQL of the {@code events} table, its head, the streams' rows and the command receipts: every statement that
 * touches them.
 *
 * <p><b>Order.</b> The log is read in the order of {@link LogPosition}s, (transaction order, sequence). A single
 * writer (SQLite) commits appends one at a time in sequence order, so there the transaction order is 0 and reading
 * by {@code sequence} is gap-free as it is. With many writers (PostgreSQL) appends run in parallel, and a sequence
 * taken early may commit late; each event therefore stores its transaction's order ({@code tx_order}), and a read
 * returns only events ordered below the {@link Dialect#commitHorizon() commit horizon}, the oldest transaction still
 * open: nothing can commit below it any more, so a reader that continues after the last position it saw never skips
 * an event that commits late, nor sees one twice. Appends there take no lock but their streams' rows (table
 * {@code streams}, in the server functions {@code cairn_append} and {@code cairn_append_one} of migrations 0011 and
 * 0013, one round trip per append).
 */
final class EventTable {
    static final String COLUMNS = "sequence, event_id, stream_id, stream_version, type, schema_version, payload, "
            + "actor_kind, command_id, causation_id, correlation_id, metadata, occurred_at, recorded_at";
    /** The 15th column every read selects: the transaction order, stored with many writers and 0 with one. */
    private static final String ORDER_STORED = "tx_order";
    private static final String ORDER_ZERO = "0";
    private static final String INSERT = "INSERT INTO events (" + COLUMNS + ") "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /**
     * The insert of events that store nothing but their own columns: no event id of their own (it is derived, see
     * {@link EventIds}), no metadata, no time of their own (they happened when recorded). Half the parameters of
     * {@link #INSERT}: each bound value is a call into the driver, per event.
     */
    private static final String INSERT_LEAN = "INSERT INTO events (sequence, stream_id, stream_version, type, "
            + "schema_version, payload, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final TypeReference<Map<String, String>> EXTRA = new TypeReference<>() {};

    private EventTable() {}

    /**
     * The highest sequence ever handed out: the newest event's, or the stored head when newer events were deleted.
     * The stored head is written only where the newest events could disappear (stream deletion), so an append reads
     * it instead of writing a row for it.
     */
    // Aggregate max over a union, not the two-argument max(), which PostgreSQL does not have (it calls it greatest).
    private static final String HEAD = "SELECT max(head) FROM (SELECT max(sequence) AS head FROM events UNION ALL "
            + "SELECT last_sequence FROM event_log_head WHERE id = 1) heads";

    /**
     * Reserves {@code count} sequences after the head and returns the last of them, on a single writer: the write
     * transaction already excludes every other append, so reading the head is enough.
     */
    static long reserve(Connection connection, int count) throws SQLException {
        return head(connection) + count;
    }

    static long head(Connection connection) throws SQLException {
        return Sql.longValue(connection, HEAD, 0);
    }

    /**
     * Stores the head before events are deleted, so that their sequences are never handed out again (by a single
     * writer's {@link #reserve}, or by the sequence object of a store copied from this one).
     */
    static void keepHead(Connection connection) throws SQLException {
        Sql.update(connection, "UPDATE event_log_head SET last_sequence = (" + HEAD + ") WHERE id = 1");
    }

    static long streamVersion(Connection connection, String streamId) throws SQLException {
        return Sql.longValue(connection, "SELECT MAX(stream_version) FROM events WHERE stream_id = ?", -1, streamId);
    }

    /**
     * Inserts the rows in one statement execution (a batch when there are several). An event's id is stored only when
     * it is not the one {@code ids} derives (given by the caller, or copied), its time only when it differs from the
     * time it was recorded: both read back the same ({@link #map}).
     */
    static void insert(Connection connection, EventIds ids, List<RecordedEvent> events) throws SQLException {
        int n = events.size();
        boolean[] derived = new boolean[n];
        boolean lean = true;
        for (int i = 0; i < n; i++) {
            RecordedEvent event = events.get(i);
            derived[i] = event.eventId().equals(ids.derive(event.sequence(), event.recordedAt().toEpochMilli()));
            lean &= derived[i] && event.metadata().equals(EventMetadata.EMPTY) && ownTime(event) == null;
        }
        try (PreparedStatement cached = connection.prepareStatement(lean ? INSERT_LEAN : INSERT)) {
            PreparedStatement statement = StatementCache.direct(cached);
            for (int i = 0; i < n; i++) {
                if (lean) {
                    bindLean(statement, events.get(i));
                } else {
                    bind(statement, events.get(i), derived[i]);
                }
                if (n > 1) {
                    statement.addBatch();
                }
            }
            if (n > 1) {
                statement.executeBatch();
            } else {
                statement.executeUpdate();
            }
        }
    }

    /** When the event happened, where that is not when it was recorded; else null, which the column stores. */
    private static Long ownTime(RecordedEvent event) {
        return event.occurredAt().equals(event.recordedAt()) ? null : event.occurredAt().toEpochMilli();
    }

    private static void bindLean(PreparedStatement statement, RecordedEvent event) throws SQLException {
        statement.setLong(1, event.sequence());
        statement.setString(2, event.streamId());
        statement.setLong(3, event.streamVersion());
        statement.setString(4, event.type());
        statement.setInt(5, event.schemaVersion());
        statement.setString(6, event.payload());
        statement.setLong(7, event.recordedAt().toEpochMilli());
    }

    /** Binds every column; the id only when it is not the derived one ({@code derived}). */
    private static void bind(PreparedStatement statement, RecordedEvent event, boolean derived) throws SQLException {
        EventMetadata metadata = event.metadata();
        statement.setLong(1, event.sequence());
        if (derived) {
            statement.setNull(2, Types.BLOB);
        } else {
            statement.setBytes(2, Sql.bytes(event.eventId()));
        }
        statement.setString(3, event.streamId());
        statement.setLong(4, event.streamVersion());
        statement.setString(5, event.type());
        statement.setInt(6, event.schemaVersion());
        statement.setString(7, event.payload());
        setNullable(statement, 8, metadata.actorKind() == null ? null : metadata.actorKind().storedName());
        setNullable(statement, 9, metadata.commandId());
        setNullable(statement, 10, metadata.causationId());
        setNullable(statement, 11, metadata.correlationId());
        setNullable(statement, 12, extraText(metadata));
        Long occurred = ownTime(event);
        if (occurred == null) {
            statement.setNull(13, Types.BIGINT);
        } else {
            statement.setLong(13, occurred);
        }
        statement.setLong(14, event.recordedAt().toEpochMilli());
    }

    /** The stored form of the free metadata keys: a JSON object, or null when there are none. */
    private static String extraText(EventMetadata metadata) {
        return metadata.extra().isEmpty() ? null : ExactText.escapeLoneSurrogates(Json.write(metadata.extra()));
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    /**
     * The stored form of an event about to be inserted at {@code position}: its id the caller's, else the one
     * {@code ids} derives from the sequence and {@code now}; null {@code ids} (the sequence is not known yet) leaves
     * it null, for {@link #storedAt} to fill in.
     */
    static RecordedEvent toRecord(LogPosition position, String streamId, long version, EventData data, Instant now,
            EventIds ids) {
        // Millisecond precision is what the column keeps; truncating here makes the returned record equal the read one.
        Instant occurred = data.occurredAt() == null ? now : Instant.ofEpochMilli(data.occurredAt().toEpochMilli());
        UUID eventId = data.eventId() != null || ids == null ? data.eventId()
                : ids.derive(position.sequence(), now.toEpochMilli());
        // Unpaired surrogates become escapes here, not in the column's UTF-8 (which would turn them into '?').
        return new RecordedEvent(position, eventId, streamId, version, data.type(), data.schemaVersion(),
                ExactText.escapeLoneSurrogates(data.payload()), data.metadata(), occurred, now);
    }

    /** A draft of {@link #toRecord} as a server function stored it: at {@code position}, version {@code version}. */
    private static RecordedEvent storedAt(RecordedEvent draft, LogPosition position, long version, EventIds ids) {
        UUID eventId = draft.eventId() != null ? draft.eventId()
                : ids.derive(position.sequence(), draft.recordedAt().toEpochMilli());
        return new RecordedEvent(position, eventId, draft.streamId(), version, draft.type(), draft.schemaVersion(),
                draft.payload(), draft.metadata(), draft.occurredAt(), draft.recordedAt());
    }

    /** Reads a row of {@link #select}: a null event id is the derived one, a null time of its own the recorded one. */
    static RecordedEvent map(ResultSet row, EventIds ids) throws SQLException {
        String actor = row.getString(8);
        String commandId = row.getString(9);
        String causationId = row.getString(10);
        String correlationId = row.getString(11);
        String extra = row.getString(12);
        EventMetadata metadata = actor == null && commandId == null && causationId == null && correlationId == null
                && extra == null
                ? EventMetadata.EMPTY
                : new EventMetadata(actorKind(actor), commandId, causationId, correlationId,
                        extra == null ? Map.of() : readExtra(extra));
        long sequence = row.getLong(1);
        long occurred = row.getLong(13);
        boolean ownTime = !row.wasNull();
        long recorded = row.getLong(14);
        UUID eventId = Sql.uuid(row, 2);
        return new RecordedEvent(position(row), eventId != null ? eventId : ids.derive(sequence, recorded),
                row.getString(3), row.getLong(4), row.getString(5), row.getInt(6), row.getString(7), metadata,
                Instant.ofEpochMilli(ownTime ? occurred : recorded), Instant.ofEpochMilli(recorded));
    }

    /** The position of a row read with {@link #select}: its transaction order is the 15th column. */
    private static LogPosition position(ResultSet row) throws SQLException {
        return new LogPosition(row.getLong(15), row.getLong(1));
    }

    /** The actor kind of a row; null when none was recorded or a newer Cairn recorded one this Cairn does not know. */
    private static ActorKind actorKind(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return ActorKind.fromStored(stored);
        } catch (InvalidInputException e) {
            return null; // keep the event readable, as readExtra does with richer metadata
        }
    }

    private static Map<String, String> readExtra(String json) {
        try {
            return Json.parse(json, EXTRA);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Written by a newer Cairn with richer metadata: keep the event readable, drop what cannot be read.
            return Map.of();
        }
    }

    /** {@code SELECT} of every column and the transaction order, {@code FROM events}. */
    private static String select(Dialect dialect) {
        return "SELECT " + COLUMNS + ", " + (dialect.singleWriter() ? ORDER_ZERO : ORDER_STORED) + " FROM events";
    }

    /**
     * One page of events after {@code after} in the log's order, optionally of one stream and some types. With
     * {@code readable}, only events no reader could miss (below the commit horizon, see the class comment); else every
     * committed event, for a caller that keeps every writer of the events it cares about out meanwhile (a rebuild).
     */
    static List<RecordedEvent> page(Connection connection, Dialect dialect, EventIds ids, LogPosition after,
            String streamId, List<String> types, int pageSize, boolean readable) throws SQLException {
        StringBuilder sql = new StringBuilder(select(dialect));
        List<Object> args = new ArrayList<>(4 + types.size());
        if (dialect.singleWriter()) {
            if (after.transactionOrder() > 0) {
                return List.of(); // every event here has order 0: all come before a position of another store
            }
            sql.append(" WHERE sequence > ?");
            args.add(after.sequence());
        } else {
            sql.append(" WHERE (tx_order, sequence) > (?, ?)");
            args.add(after.transactionOrder());
            args.add(after.sequence());
            if (readable) {
                sql.append(" AND tx_order < ").append(dialect.commitHorizon());
            }
        }
        if (streamId != null) {
            sql.append(" AND stream_id = ?");
            args.add(streamId);
        }
        if (!types.isEmpty()) {
            sql.append(" AND type IN (").append("?, ".repeat(types.size() - 1)).append("?)");
            args.addAll(types);
        }
        sql.append(dialect.singleWriter() ? " ORDER BY sequence LIMIT ?" : " ORDER BY tx_order, sequence LIMIT ?");
        args.add(pageSize);
        return Sql.list(connection, sql.toString(), row -> map(row, ids), args.toArray());
    }

    /**
     * Whether committed events after {@code after} are not readable yet: ordered at or above the commit horizon,
     * behind a transaction still open. Never with one writer, whose every committed event is readable.
     */
    static boolean heldBack(Connection connection, Dialect dialect, LogPosition after) throws SQLException {
        if (dialect.singleWriter()) {
            return false;
        }
        return Sql.longValue(connection, "SELECT count(*) FROM (SELECT 1 FROM events WHERE (tx_order, sequence) > (?, ?)"
                + " AND tx_order >= " + dialect.commitHorizon() + " LIMIT 1) later", 0, after.transactionOrder(),
                after.sequence()) > 0;
    }

    /** The position of the last event readers can see ({@link LogPosition#START} for an empty log). */
    static LogPosition lastPosition(Connection connection, Dialect dialect) throws SQLException {
        if (dialect.singleWriter()) {
            return new LogPosition(0, Sql.longValue(connection, "SELECT max(sequence) FROM events", 0));
        }
        return Sql.one(connection, "SELECT tx_order, sequence FROM events WHERE tx_order < " + dialect.commitHorizon()
                + " ORDER BY tx_order DESC, sequence DESC LIMIT 1", row -> new LogPosition(row.getLong(1),
                        row.getLong(2))).orElse(LogPosition.START);
    }

    /** One page of a stream from a version on, in version order. */
    static List<RecordedEvent> streamPage(Connection connection, Dialect dialect, EventIds ids, String streamId,
            long fromVersion, int pageSize) throws SQLException {
        // Versions are taken under the stream's lock, one append after the other, so version order has no gap to skip.
        return Sql.list(connection, select(dialect) + " WHERE stream_id = ? AND stream_version >= ? "
                + "ORDER BY stream_version LIMIT ?", row -> map(row, ids), streamId, fromVersion, pageSize);
    }

    /**
     * Refuses ids chosen by the caller that are already the derived id of an event in the log: the unique index holds
     * only chosen ids, so a derived one given back (read from the log and appended again) would name two events.
     * Only an id that looks derived by this store ({@link EventIds#sequenceOf}; one random id in 4096) costs a lookup,
     * whose statement carries what {@code savepointAhead} ({@link dev.cairn.internal.Session#savepointAhead()}) gives.
     */
    static void refuseDerivedIds(Connection connection, EventIds ids, Supplier<String> savepointAhead,
            List<StreamAppend> appends) throws SQLException {
        for (StreamAppend append : appends) {
            for (EventData event : append.events()) {
                long sequence = ids.sequenceOf(event.eventId());
                if (sequence < 0) {
                    continue;
                }
                try (PreparedStatement query = connection.prepareStatement(savepointAhead.get() + "SELECT count(*) "
                        + "FROM events WHERE sequence = ? AND event_id IS NULL AND recorded_at = ?")) {
                    query.setLong(1, sequence);
                    query.setLong(2, event.eventId().getMostSignificantBits() >>> 16);
                    try (ResultSet result = rowsOf(query, "the check of event id " + event.eventId())) {
                        if (result.next() && result.getLong(1) > 0) {
                            throw new ConflictException("event id " + event.eventId() + " is already the id of event "
                                    + sequence + " in the log; give the new event another id (Ids.next()), or none");
                        }
                    }
                }
            }
        }
    }

    /**
     * Executes a query that may have a savepoint in front of it (pgjdbc answers that with an update count first) and
     * returns its rows; {@code what} names the query when it returned none.
     */
    private static ResultSet rowsOf(PreparedStatement query, String what) throws SQLException {
        for (boolean rows = query.execute(); !rows; rows = query.getMoreResults()) {
            if (query.getUpdateCount() == -1) {
                throw new CairnException(what + " returned no rows; run 'cairn doctor'");
            }
        }
        return query.getResultSet();
    }

    /** Deletes a stream's events; returns how many. */
    static long deleteStream(Connection connection, Dialect dialect, String streamId) throws SQLException {
        if (!dialect.singleWriter()) {
            // Waits for appends to the stream in flight and keeps new ones out until this transaction ends.
            Sql.one(connection, "SELECT current_version FROM cairn_lock_stream(?)", row -> row.getLong(1), streamId);
        }
        keepHead(connection);
        long deleted = Sql.update(connection, "DELETE FROM events WHERE stream_id = ?", streamId);
        if (!dialect.singleWriter()) {
            Sql.update(connection, "UPDATE streams SET version = -1 WHERE stream_id = ?", streamId);
        }
        return deleted;
    }

    /**
     * The events a command's append stored, when it was appended before; null otherwise. On a single writer (the
     * write transaction excludes every other append) a plain read; with many writers, only after {@link #append}
     * found the receipt, having waited for that append to end.
     */
    static List<RecordedEvent> receipt(Connection connection, Dialect dialect, EventIds ids, String commandId)
            throws SQLException {
        Receipt receipt = Sql.one(connection, "SELECT first_sequence, last_sequence, sequences FROM command_receipts "
                + "WHERE command_id = ?", row -> new Receipt(row.getLong(1), row.getLong(2), row.getString(3)),
                commandId).orElse(null);
        if (receipt == null) {
            return null;
        }
        List<RecordedEvent> range = Sql.list(connection, select(dialect) + " WHERE sequence BETWEEN ? AND ? "
                + "ORDER BY sequence", row -> map(row, ids), receipt.first(), receipt.last());
        if (receipt.sequences() == null) {
            return range;
        }
        // Other appends took sequences in between: keep the command's own.
        java.util.Set<Long> own = new java.util.HashSet<>();
        for (String sequence : receipt.sequences().split(",")) {
            own.add(Long.parseLong(sequence));
        }
        return range.stream().filter(event -> own.contains(event.sequence())).toList();
    }

    private record Receipt(long first, long last, String sequences) {}

    /** Records a single writer's receipt: its sequences are contiguous. */
    static void recordReceipt(Connection connection, String commandId, long first, long last, Instant at)
            throws SQLException {
        Sql.update(connection, "INSERT INTO command_receipts (command_id, first_sequence, last_sequence, accepted_at) "
                + "VALUES (?, ?, ?, ?)", commandId, first, last, at);
    }

    /** What {@link #append} did: stored the events, or refused (nothing written). */
    sealed interface Appended {}

    record Stored(List<RecordedEvent> events) implements Appended {}

    /** The command was appended before: read its receipt. */
    record SeenBefore() implements Appended {}

    /** The part at {@code index} (from 0) expected another version than the stream's {@code actual} one. */
    record Refused(int index, long actual) implements Appended {}

    /**
     * Appends with many writers (PostgreSQL), in one call of {@code cairn_append} (migration 0011;
     * {@code cairn_append_one} of migration 0013 for one event): locks each stream's
     * row, checks every expectation, takes sequences from the sequence object and stores the events with their
     * transaction order, and the receipt of a command. Nothing is written when it refuses. {@code savepointAhead}
     * ({@link dev.cairn.internal.Session#savepointAhead()}) goes in front of the call.
     */
    static Appended append(Connection connection, EventIds ids, String savepointAhead, String commandId,
            List<StreamAppend> appends, int count, Instant now) throws SQLException {
        int parts = appends.size();
        Object[] streams = new Object[parts];
        Object[] expected = new Object[parts];
        Object[] counts = new Object[parts];
        // The columns of each event, as parallel arrays: the function's parameters 5 to 14.
        Object[][] columns = new Object[10][count];
        List<RecordedEvent> drafts = new ArrayList<>(count);
        int k = 0;
        for (int i = 0; i < parts; i++) {
            StreamAppend append = appends.get(i);
            streams[i] = append.streamId();
            expected[i] = encode(append.expected());
            counts[i] = append.events().size();
            for (EventData data : append.events()) {
                RecordedEvent draft = toRecord(LogPosition.START, append.streamId(), 0, data, now, null);
                putEvent(columns, 0, k, draft);
                drafts.add(draft);
                k++;
            }
        }
        boolean one = count == 1;
        // pgjdbc sends a savepoint ahead of the call in the same round trip; its result comes first. One event goes
        // as plain parameters (cairn_append_one), so that no arrays are built for the most common append.
        try (PreparedStatement call = connection.prepareStatement(savepointAhead + "SELECT out_sequence, out_version, "
                + "out_order FROM " + (one ? "cairn_append_one(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        : "cairn_append(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))) {
            int index = 1;
            setNullable(call, index++, commandId);
            if (one) {
                call.setString(index++, (String) streams[0]);
                call.setLong(index++, (Long) expected[0]);
                for (Object[] column : columns) {
                    Sql.bindAt(call, index++, column[0]);
                }
            } else {
                call.setArray(index++, connection.createArrayOf("text", streams));
                call.setArray(index++, connection.createArrayOf("int8", expected));
                call.setArray(index++, connection.createArrayOf("int4", counts));
                for (int c = 0; c < columns.length; c++) {
                    call.setArray(index++, connection.createArrayOf(EVENT_COLUMN_TYPES[c], columns[c]));
                }
            }
            call.setLong(index, now.toEpochMilli());
            List<long[]> rows = new ArrayList<>(count);
            try (ResultSet result = rowsOf(call, "cairn_append")) {
                while (result.next()) {
                    long sequence = result.getLong(1);
                    if (result.wasNull()) {
                        long actual = result.getLong(2);
                        return result.wasNull() ? new SeenBefore() : new Refused((int) result.getLong(3) - 1, actual);
                    }
                    rows.add(new long[] {sequence, result.getLong(2), result.getLong(3)});
                }
            }
            if (rows.size() != count) {
                throw new CairnException("cairn_append stored " + rows.size() + " of " + count + " events; run "
                        + "'cairn doctor'");
            }
            // Sequences increase in the order the events were given.
            rows.sort(java.util.Comparator.comparingLong(row -> row[0]));
            List<RecordedEvent> stored = new ArrayList<>(count);
            for (long[] row : rows) {
                stored.add(storedAt(drafts.get(stored.size()), new LogPosition(row[2], row[0]), row[1], ids));
            }
            return new Stored(stored);
        }
    }

    /**
     * Appends of one event each, from different callers of one group-commit batch, in one call of
     * {@code cairn_append_each} (migration 0014): each as {@link #append} would store it on its own, its outcome at its
     * index. Sent in stream order, so that two batches lock the streams they share in one order. Throws when any of
     * them failed with an error (nothing of the call stays once the transaction is rolled back).
     */
    static List<Appended> appendEach(Connection connection, EventIds ids, List<StreamAppend> appends,
            List<String> commandIds, Instant now) throws SQLException {
        int n = appends.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(i -> appends.get(i).streamId()));
        Object[][] columns = new Object[13][n];
        RecordedEvent[] drafts = new RecordedEvent[n];
        for (int k = 0; k < n; k++) {
            int i = order[k];
            StreamAppend append = appends.get(i);
            RecordedEvent draft = toRecord(LogPosition.START, append.streamId(), 0, append.events().get(0), now, null);
            drafts[i] = draft;
            columns[0][k] = commandIds.get(i);
            columns[1][k] = append.streamId();
            columns[2][k] = encode(append.expected());
            putEvent(columns, 3, k, draft);
        }
        String[] types = new String[columns.length];
        types[0] = "text";
        types[1] = "text";
        types[2] = "int8";
        System.arraycopy(EVENT_COLUMN_TYPES, 0, types, 3, EVENT_COLUMN_TYPES.length);
        List<Appended> outcomes = new ArrayList<>(Collections.nCopies(n, null));
        try (PreparedStatement call = connection.prepareStatement("SELECT out_index, out_sequence, out_version, "
                + "out_order FROM cairn_append_each(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int c = 0; c < columns.length; c++) {
                call.setArray(c + 1, connection.createArrayOf(types[c], columns[c]));
            }
            call.setLong(columns.length + 1, now.toEpochMilli());
            try (ResultSet result = call.executeQuery()) {
                while (result.next()) {
                    int i = order[result.getInt(1) - 1];
                    long sequence = result.getLong(2);
                    boolean refused = result.wasNull();
                    long version = result.getLong(3);
                    if (refused) {
                        outcomes.set(i, result.wasNull() ? new SeenBefore() : new Refused(0, version));
                    } else {
                        outcomes.set(i, new Stored(List.of(storedAt(drafts[i], new LogPosition(result.getLong(4),
                                sequence), version, ids))));
                    }
                }
            }
        }
        if (outcomes.contains(null)) {
            throw new CairnException("cairn_append_each answered " + (n - Collections.frequency(outcomes, null))
                    + " of " + n + " appends; run 'cairn doctor'");
        }
        return outcomes;
    }

    /** The array types of an event's columns as the append functions take them, in {@link #putEvent}'s order. */
    private static final String[] EVENT_COLUMN_TYPES =
            {"text", "text", "int4", "text", "text", "text", "text", "text", "text", "int8"};

    /**
     * Puts an event's columns, as the append functions take them (event id to occurred-at), at row {@code k} of
     * {@code columns}, starting at column {@code first}.
     */
    private static void putEvent(Object[][] columns, int first, int k, RecordedEvent draft) {
        EventMetadata metadata = draft.metadata();
        // Null: the event's id is derived from its sequence (EventIds), and its time is the time it is recorded.
        columns[first][k] = draft.eventId() == null ? null : draft.eventId().toString();
        columns[first + 1][k] = draft.type();
        columns[first + 2][k] = draft.schemaVersion();
        columns[first + 3][k] = draft.payload();
        columns[first + 4][k] = metadata.actorKind() == null ? null : metadata.actorKind().storedName();
        columns[first + 5][k] = metadata.commandId();
        columns[first + 6][k] = metadata.causationId();
        columns[first + 7][k] = metadata.correlationId();
        columns[first + 8][k] = extraText(metadata);
        columns[first + 9][k] = ownTime(draft);
    }

    /** An expectation as {@code cairn_append} takes it: -2 any, -1 no stream, -3 an existing stream, else exact. */
    private static long encode(ExpectedVersion expected) {
        if (expected instanceof ExpectedVersion.Exact exact) {
            return exact.version();
        }
        if (expected instanceof ExpectedVersion.NoStream) {
            return -1;
        }
        return expected instanceof ExpectedVersion.StreamExists ? -3 : -2;
    }
}
