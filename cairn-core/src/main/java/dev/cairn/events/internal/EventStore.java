package dev.cairn.events.internal;

import dev.cairn.InvalidInputException;
import dev.cairn.TransactionStateException;
import dev.cairn.WrongExpectedVersionException;
import dev.cairn.events.EventData;
import dev.cairn.events.EventLog;
import dev.cairn.events.EventQuery;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.LogPosition;
import dev.cairn.events.RecordedEvent;
import dev.cairn.events.StreamAppend;
import dev.cairn.events.StreamId;
import dev.cairn.events.Subscription;
import dev.cairn.internal.Combinable;
import dev.cairn.internal.Dialect;
import dev.cairn.internal.EventIds;
import dev.cairn.internal.Session;
import dev.cairn.internal.SqlWork;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The event log on a {@link Session}. An append is one self-contained unit of work on one connection (check versions,
 * take sequences, insert, receipt, project), so it joins an enclosing write and is grouped with others by the store's
 * group commit. See {@link EventTable} for how the log is ordered with one writer and with many.
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
        SqlWork<List<RecordedEvent>> work = appendWork(appends);
        return session.dialect().singleWriter() ? session.write(work) : session.writeSavepointAhead(work);
    }

    @Override
    public CompletableFuture<List<RecordedEvent>> appendAsync(String streamId, ExpectedVersion expected,
            List<EventData> events) {
        SqlWork<List<RecordedEvent>> work;
        try {
            work = appendWork(List.of(new StreamAppend(streamId, expected, events)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return session.writeAsync(work, !session.dialect().singleWriter());
    }

    /**
     * The work of an append, run with {@code Session.write} on a single writer and with
     * {@code Session.writeSavepointAhead} on many: there an append's first statement is the whole append, and carries
     * group commit's savepoint; one event that no projector follows may also share one statement with the other such
     * appends of its batch. (Not one whose chosen id needs the check of EventTable.refuseDerivedIds, which the shared
     * call leaves out.)
     */
    private SqlWork<List<RecordedEvent>> appendWork(List<StreamAppend> appends) {
        String commandId = commandIdOf(appends);
        if (session.dialect().singleWriter()) {
            return connection -> appendOn(connection, appends, commandId);
        }
        boolean one = appends.size() == 1 && appends.get(0).events().size() == 1;
        EventData first = one ? appends.get(0).events().get(0) : null;
        return one && !ProjectorRunner.projects(first.type()) && session.eventIds().sequenceOf(first.eventId()) < 0
                ? new OneEvent(appends, commandId) : connection -> appendOn(connection, appends, commandId);
    }

    /** Runs the one-event appends of a group-commit batch in one server call, {@link EventTable#appendEach}. */
    private static final Combinable.Combiner APPEND_EACH = (connection, writes) -> {
        List<StreamAppend> appends = new ArrayList<>(writes.size());
        List<String> commandIds = new ArrayList<>(writes.size());
        for (Combinable<?> write : writes) {
            OneEvent one = (OneEvent) write;
            appends.add(one.appends.get(0));
            commandIds.add(one.commandId);
        }
        Session session = ((OneEvent) writes.get(0)).store().session;
        Instant now = Instant.ofEpochMilli(session.clock().millis());
        return EventTable.appendEach(connection, session.eventIds(), appends, commandIds, now);
    };

    /** An append of one event to one stream: on its own as any append, or with others of its batch. */
    private final class OneEvent implements Combinable<List<RecordedEvent>> {
        final List<StreamAppend> appends;
        final String commandId;

        OneEvent(List<StreamAppend> appends, String commandId) {
            this.appends = appends;
            this.commandId = commandId;
        }

        EventStore store() {
            return EventStore.this;
        }

        @Override
        public List<RecordedEvent> run(Connection connection) throws SQLException {
            return appendOn(connection, appends, commandId);
        }

        @Override
        public Combiner combiner() {
            return APPEND_EACH;
        }

        @Override
        public List<RecordedEvent> complete(Connection connection, Object outcome) throws SQLException {
            return completed(connection, appends, commandId, (EventTable.Appended) outcome);
        }
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
        int count = 0;
        for (StreamAppend append : appends) {
            count += append.events().size();
        }
        if (commandId != null) {
            // On a single writer the write transaction excludes every other append, so the receipt is read first;
            // with many writers the append itself takes the receipt (a retry running alongside waits for it).
            List<RecordedEvent> earlier = session.dialect().singleWriter()
                    ? EventTable.receipt(connection, session.dialect(), session.eventIds(), commandId) : null;
            if (earlier != null) {
                return earlier;
            }
        }
        Instant now = Instant.ofEpochMilli(session.clock().millis());
        EventIds ids = session.eventIds();
        // The savepoint goes ahead of this write's first statement, whichever that is (it is handed out once).
        EventTable.refuseDerivedIds(connection, ids, session::savepointAhead, appends);
        if (session.dialect().singleWriter()) {
            return applied(connection, appendAlone(connection, ids, appends, commandId, count, now));
        }
        return completed(connection, appends, commandId, EventTable.append(connection, ids, session.savepointAhead(),
                commandId, appends, count, now));
    }

    /** What an append with many writers returns, or the refusal it throws (having written nothing). */
    private List<RecordedEvent> completed(Connection connection, List<StreamAppend> appends, String commandId,
            EventTable.Appended appended) throws SQLException {
        if (appended instanceof EventTable.Refused refused) {
            StreamAppend append = appends.get(refused.index());
            throw new WrongExpectedVersionException(append.streamId(), append.expected().toString(), refused.actual());
        }
        if (appended instanceof EventTable.SeenBefore) {
            // The command's first append has committed meanwhile (this one waited for it): return its events.
            return EventTable.receipt(connection, session.dialect(), session.eventIds(), commandId);
        }
        return applied(connection, ((EventTable.Stored) appended).events());
    }

    /** Projects the stored events in the append's transaction, and wakes followers once it commits. */
    private List<RecordedEvent> applied(Connection connection, List<RecordedEvent> recorded) throws SQLException {
        ProjectorRunner.applyAppended(connection, session.dialect(), recorded);
        long order = 0;
        for (RecordedEvent event : recorded) {
            order = Math.max(order, event.position().transactionOrder());
        }
        long highest = order;
        session.afterCommit(() -> {
            session.appended(highest);
            LogSignal.wake(location);
        });
        return List.copyOf(recorded);
    }

    /**
     * On a single writer, whose write transaction excludes every other append: read the head and the streams'
     * versions, then insert. Commits come in sequence order, so every event's transaction order is 0. With many
     * writers, {@link EventTable#append} does the same in one server call, locking only the streams' rows.
     */
    private static List<RecordedEvent> appendAlone(Connection connection, EventIds ids, List<StreamAppend> appends,
            String commandId, int count, Instant now) throws SQLException {
        long last = EventTable.reserve(connection, count);
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
        List<RecordedEvent> recorded = new ArrayList<>(count);
        index = 0;
        for (StreamAppend append : appends) {
            for (EventData event : append.events()) {
                recorded.add(EventTable.toRecord(new LogPosition(0, first + index), append.streamId(),
                        eventVersions[index], event, now, ids));
                index++;
            }
        }
        EventTable.insert(connection, ids, recorded);
        if (commandId != null) {
            EventTable.recordReceipt(connection, commandId, first, last, now);
        }
        return recorded;
    }

    @Override
    public Stream<RecordedEvent> replayAll() {
        return replayFrom(LogPosition.START);
    }

    @Override
    public Stream<RecordedEvent> replayFrom(LogPosition position) {
        return read(EventQuery.all().after(Objects.requireNonNull(position, "position")));
    }

    @Override
    public Stream<RecordedEvent> read(EventQuery query) {
        Objects.requireNonNull(query, "query");
        List<String> types = List.copyOf(query.types());
        int pageSize = query.limit() > 0 ? (int) Math.min(PAGE, query.limit()) : PAGE;
        Dialect dialect = session.dialect();
        EventIds ids = session.eventIds();
        boolean[] awaited = {false};
        Stream<RecordedEvent> events = Pages.stream(query.after(), pageSize, (after, size) -> {
            if (!awaited[0]) {
                awaitOwnAppends();
                awaited[0] = true;
            }
            // One statement: its commit horizon and its rows come from the same snapshot.
            return session.readStatement(c -> EventTable.page(c, dialect, ids, after, query.streamId(), types, size,
                    true));
        }, RecordedEvent::position);
        return query.limit() > 0 ? events.limit(query.limit()) : events;
    }

    /**
     * One page after a position, for subscriptions: what every reader can see, without waiting; and, when that is
     * less than a page, whether committed events wait behind the commit horizon (see {@link TailPage}).
     */
    TailPage page(LogPosition after, int size) {
        Dialect dialect = session.dialect();
        EventIds ids = session.eventIds();
        return session.read(c -> {
            List<RecordedEvent> events = EventTable.page(c, dialect, ids, after, null, List.of(), size, true);
            LogPosition last = events.isEmpty() ? after : events.get(events.size() - 1).position();
            return new TailPage(events, events.size() < size && EventTable.heldBack(c, dialect, last));
        });
    }

    /**
     * A subscription's page. {@code heldBack}: committed events follow it that no reader may see yet, because an older
     * transaction is still open somewhere on the server; no wake-up comes when that one ends, so the subscription
     * looks again soon instead of waiting for the next append.
     */
    record TailPage(List<RecordedEvent> events, boolean heldBack) {}

    /**
     * Read-your-writes where readers trail commits (see {@link dev.cairn.internal.AppendWatermark}): a read through
     * the store waits until the appends it committed are readable. Not in a transaction, whose snapshot would not
     * move, nor for a subscription, which waits for a wake-up instead.
     */
    private void awaitOwnAppends() {
        if (storeLevel) {
            session.awaitOwnAppends();
        }
    }

    @Override
    public Stream<RecordedEvent> readStream(String streamId, long fromVersion) {
        StreamId.require(streamId);
        if (fromVersion < 0) {
            throw new InvalidInputException("fromVersion is 0 or more (the first event of a stream), was "
                    + fromVersion);
        }
        Dialect dialect = session.dialect();
        EventIds ids = session.eventIds();
        return Pages.stream(fromVersion - 1, PAGE,
                (after, size) -> session.readStatement(c -> EventTable.streamPage(c, dialect, ids, streamId, after + 1,
                        size)),
                RecordedEvent::streamVersion);
    }

    @Override
    public LogPosition lastPosition() {
        awaitOwnAppends();
        return session.read(c -> EventTable.lastPosition(c, session.dialect()));
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
            long deleted = EventTable.deleteStream(connection, session.dialect(), streamId);
            ProjectorRunner.forgetStream(connection, session.dialect(), streamId);
            return deleted;
        });
    }

    @Override
    public Subscription subscribe(LogPosition position, Consumer<RecordedEvent> handler) {
        if (!storeLevel) {
            throw new TransactionStateException("subscribe on the store (db.events()), not on a transaction: a "
                    + "subscription outlives the transaction it would read through");
        }
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(handler, "handler");
        session.watchAppends(new LogSignal.Wake(location));
        Tail tail = new Tail(this, location, position, handler);
        // Registered before it starts, so that closing the store, which refuses to register anything afterwards,
        // ends every subscription it ever started.
        tail.start(session.closeWithStore(tail));
        return tail;
    }
}
