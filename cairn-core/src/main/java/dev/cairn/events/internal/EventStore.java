package dev.cairn.events.internal;

import dev.cairn.InvalidInputException;
import dev.cairn.TransactionStateException;
import dev.cairn.WrongExpectedVersionException;
import dev.cairn.events.EventData;
import dev.cairn.events.EventLog;
import dev.cairn.events.EventQuery;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.RecordedEvent;
import dev.cairn.events.StreamAppend;
import dev.cairn.events.StreamId;
import dev.cairn.events.Subscription;
import dev.cairn.internal.Session;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The event log on a {@link Session}. An append is one self-contained unit of work on one connection (check versions,
 * reserve sequences, insert, project, receipt), so it joins an enclosing write and can later be grouped with others.
 */
public final class EventStore implements EventLog {
    static final int PAGE = 1000;

    private final Session session;
    private final boolean storeLevel;
    private final String location;

    /**
     * @param storeLevel whether the session is the store's own (subscriptions need one: a transaction's session ends)
     */
    public EventStore(Session session, boolean storeLevel) {
        this.session = session;
        this.storeLevel = storeLevel;
        this.location = session.location();
    }

    @Override
    public List<RecordedEvent> append(String streamId, ExpectedVersion expected, List<EventData> events) {
        return appendAll(List.of(new StreamAppend(streamId, expected, events)));
    }

    @Override
    public List<RecordedEvent> appendAll(List<StreamAppend> appends) {
        if (appends == null || appends.isEmpty()) {
            throw new InvalidInputException("appendAll needs at least one stream append");
        }
        String commandId = commandIdOf(appends);
        return session.write(connection -> appendOn(connection, appends, commandId));
    }

    private static String commandIdOf(List<StreamAppend> appends) {
        String commandId = null;
        for (StreamAppend append : appends) {
            Objects.requireNonNull(append, "a stream append is null");
            for (EventData event : append.events()) {
                String id = event.metadata().commandId();
                if (id != null) {
                    if (commandId != null && !commandId.equals(id)) {
                        throw new InvalidInputException("one append carries two command ids, " + commandId + " and "
                                + id + "; append each command's events separately");
                    }
                    commandId = id;
                }
            }
        }
        return commandId;
    }

    private List<RecordedEvent> appendOn(Connection connection, List<StreamAppend> appends, String commandId)
            throws SQLException {
        if (commandId != null) {
            // Queue on the head row before looking for the receipt: a retry of the same command running alongside
            // the first then finds its receipt instead of failing its expectation.
            EventTable.lockHead(connection, session.dialect());
            long[] receipt = EventTable.receipt(connection, commandId);
            if (receipt != null) {
                return EventTable.range(connection, receipt[0], receipt[1]);
            }
        }
        int count = 0;
        for (StreamAppend append : appends) {
            count += append.events().size();
        }
        // Sequences first: with many writers this queues on the head row, so the versions checked below are the ones
        // this append will write after, not ones a concurrent append is about to change.
        long last = EventTable.reserve(connection, session.dialect(), count);
        long first = last - count + 1;
        // Every expectation is checked before anything is written, so a mismatch leaves even a transaction clean.
        long[] eventVersions = new long[count];
        Map<String, Long> versions = new HashMap<>();
        int index = 0;
        for (StreamAppend append : appends) {
            Long known = versions.get(append.streamId());
            long version = known != null ? known : EventTable.streamVersion(connection, append.streamId());
            if (!append.expected().matches(version)) {
                throw new WrongExpectedVersionException(append.streamId(), append.expected().toString(), version);
            }
            for (int i = 0; i < append.events().size(); i++) {
                eventVersions[index++] = ++version;
            }
            versions.put(append.streamId(), version);
        }
        Instant now = Instant.ofEpochMilli(session.clock().millis());
        List<RecordedEvent> recorded = new ArrayList<>(count);
        index = 0;
        for (StreamAppend append : appends) {
            for (EventData event : append.events()) {
                recorded.add(EventTable.toRecord(first + index, append.streamId(), eventVersions[index], event, now));
                index++;
            }
        }
        EventTable.insert(connection, session.dialect(), recorded);
        if (commandId != null) {
            EventTable.recordReceipt(connection, commandId, first, last, now);
        }
        ProjectorRunner.applyAppended(connection, recorded);
        session.dialect().announceAppend(connection);
        session.afterCommit(() -> LogSignal.wake(location));
        return List.copyOf(recorded);
    }

    @Override
    public Stream<RecordedEvent> replayAll() {
        return replayFrom(0);
    }

    @Override
    public Stream<RecordedEvent> replayFrom(long afterSequence) {
        return read(EventQuery.all().after(afterSequence));
    }

    @Override
    public Stream<RecordedEvent> read(EventQuery query) {
        Objects.requireNonNull(query, "query");
        List<String> types = List.copyOf(query.types());
        int pageSize = query.limit() > 0 ? (int) Math.min(PAGE, query.limit()) : PAGE;
        Stream<RecordedEvent> events = Pages.stream(query.afterSequence(), pageSize,
                (after, size) -> session.read(c -> EventTable.page(c, after, query.streamId(), types, size)),
                RecordedEvent::sequence);
        return query.limit() > 0 ? events.limit(query.limit()) : events;
    }

    /** One page after a sequence, for subscriptions. */
    List<RecordedEvent> page(long after, int size) {
        return session.read(c -> EventTable.page(c, after, null, List.of(), size));
    }

    @Override
    public Stream<RecordedEvent> readStream(String streamId, long fromVersion) {
        StreamId.require(streamId);
        if (fromVersion < 0) {
            throw new InvalidInputException("fromVersion is 0 or more (the first event of a stream), was "
                    + fromVersion);
        }
        return Pages.stream(fromVersion - 1, PAGE,
                (after, size) -> session.read(c -> EventTable.streamPage(c, streamId, after + 1, size)),
                RecordedEvent::streamVersion);
    }

    @Override
    public long lastSequence() {
        return session.read(EventTable::head);
    }

    @Override
    public long streamVersion(String streamId) {
        StreamId.require(streamId);
        return session.read(c -> EventTable.streamVersion(c, streamId));
    }

    @Override
    public long deleteStream(String streamId) {
        StreamId.require(streamId);
        return session.write(connection -> {
            long deleted = EventTable.deleteStream(connection, streamId);
            ProjectorRunner.forgetStream(connection, streamId);
            return deleted;
        });
    }

    @Override
    public Subscription subscribe(long afterSequence, Consumer<RecordedEvent> handler) {
        if (!storeLevel) {
            throw new TransactionStateException("subscribe on the store (db.events()), not on a transaction: a "
                    + "subscription outlives the transaction it would read through");
        }
        if (afterSequence < 0) {
            throw new InvalidInputException("afterSequence is 0 or more, was " + afterSequence);
        }
        Objects.requireNonNull(handler, "handler");
        session.watchAppends(new LogSignal.Wake(location));
        Tail tail = new Tail(this, location, afterSequence, handler);
        // Registered before it starts, so that closing the store, which refuses to register anything afterwards,
        // ends every subscription it ever started.
        tail.start(session.closeWithStore(tail));
        return tail;
    }
}
