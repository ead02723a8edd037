package dev.cairn.events;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The event log: one append-only sequence of events, each in a stream ({@link StreamId kind:id}) at a version.
 * Reached as {@code db.events()} (each append commits on its own) or {@code tx.events()} (part of the transaction).
 *
 * <p>Reads by position ({@link #replayAll}, {@link #replayFrom}, {@link #read}, {@link #subscribe}) return the log in
 * the order of {@link LogPosition}s and never skip: an event is returned only once no event can still commit before
 * it, so a reader that stores the position of the last event it handled and reads on from there sees every event
 * exactly once. On SQLite that is every committed event. On PostgreSQL an event becomes readable once every
 * transaction older than its own has ended (normally within milliseconds; a transaction left open holds the log back
 * for every reader, see the README); reads through the store wait for the store's own committed appends, and reads
 * inside a write transaction see its own appends only once it has committed ({@link #readStream} sees them at once).
 *
 * <p>Reads return lazy streams that fetch the log in pages, so replaying any number of events takes constant memory;
 * each page is one consistent snapshot. The streams hold no connection between pages and need not be closed.
 */
public interface EventLog {
    /**
     * Appends events to one stream, all or nothing, when the stream's version matches {@code expected}; returns them
     * as stored, with contiguous versions and increasing sequences.
     *
     * @throws dev.cairn.WrongExpectedVersionException when the stream's version does not match; nothing is written
     * @throws dev.cairn.InvalidInputException for a malformed stream id, or events carrying different command ids
     */
    List<RecordedEvent> append(String streamId, ExpectedVersion expected, List<EventData> events);

    default List<RecordedEvent> append(String streamId, ExpectedVersion expected, EventData... events) {
        return append(streamId, expected, List.of(events));
    }

    /**
     * Appends as {@link #append} does, without waiting for the commit: the future completes with the events as stored
     * once they are committed, or exceptionally with what {@code append} would have thrown (malformed input included;
     * nothing is thrown here). On the store, the append joins group commit like any other, and the future completes on
     * the thread that committed its batch, and writes queued meanwhile may wait for its dependent stages: keep them
     * short, and never block in one on another append's future (that append may be waiting for this very thread);
     * continue with the {@code ...Async} stages on an executor of your own for anything longer. An append queued from
     * a dependent stage is led once the stage returns, so a chain of appends runs as a loop. In a transaction the
     * append runs at once, as part of the transaction.
     *
     * <p>For a server that must not hold a thread for each append it waits for (see {@code cairn serve}); a thread of
     * its own per writer is simpler otherwise.
     */
    default CompletableFuture<List<RecordedEvent>> appendAsync(String streamId, ExpectedVersion expected,
            List<EventData> events) {
        try {
            return CompletableFuture.completedFuture(append(streamId, expected, events));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Appends to several streams in one transaction, all or nothing, in the order given; every expected version is
     * checked (a stream named twice is checked against its version after the earlier part).
     *
     * <p>When the events carry a command id (all the same one), the append is idempotent: if that command was
     * appended before, its stored events are returned and nothing is written.
     */
    List<RecordedEvent> appendAll(List<StreamAppend> appends);

    /** Every event, in the log's order. */
    Stream<RecordedEvent> replayAll();

    /** Every event after {@code position} (the position of the last event already read), in the log's order. */
    Stream<RecordedEvent> replayFrom(LogPosition position);

    /** The events a query selects, in the log's order. */
    Stream<RecordedEvent> read(EventQuery query);

    /** One stream's events from {@code fromVersion} on, in version order; empty when the stream does not exist. */
    Stream<RecordedEvent> readStream(String streamId, long fromVersion);

    /**
     * The position of the last event readers can see now ({@link LogPosition#START} for an empty log): subscribe from
     * it to get only the events that come later.
     */
    LogPosition lastPosition();

    /** The version of a stream's last event, or -1 when it has none. */
    long streamVersion(String streamId);

    /**
     * Deletes a stream: its events and every projection row built from them. Sequences are never reused, and the
     * stream may be started again from version 0. Returns how many events were deleted.
     */
    long deleteStream(String streamId);

    /**
     * Delivers every event after {@code position} to {@code handler} on a thread of the subscription's own, in the
     * log's order, exactly once each, until closed: events committed in this process wake it at once, other processes'
     * commits wake it through the server where it can tell (PostgreSQL), and it polls as well. If the handler throws,
     * the subscription stops and reports the failure. Only on the store, not on a transaction.
     */
    Subscription subscribe(LogPosition position, Consumer<RecordedEvent> handler);
}
