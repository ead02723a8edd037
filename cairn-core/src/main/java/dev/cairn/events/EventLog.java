package dev.cairn.events;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The event log: one append-only sequence of events, each in a stream ({@link StreamId kind:id}) at a version.
 * Reached as {@code db.events()} (each append commits on its own) or {@code tx.events()} (part of the transaction).
 *
 * <p>Reads return lazy streams that fetch the log in pages by sequence, so replaying any number of events takes
 * constant memory; each page is one consistent snapshot. The streams hold no connection between pages and need not
 * be closed.
 */
public interface EventLog {
    /**
     * Appends events to one stream, all or nothing, when the stream's version matches {@code expected}; returns them
     * as stored, with contiguous sequences and versions.
     *
     * @throws dev.cairn.WrongExpectedVersionException when the stream's version does not match; nothing is written
     * @throws dev.cairn.InvalidInputException for a malformed stream id, or events carrying different command ids
     */
    List<RecordedEvent> append(String streamId, ExpectedVersion expected, List<EventData> events);

    default List<RecordedEvent> append(String streamId, ExpectedVersion expected, EventData... events) {
        return append(streamId, expected, List.of(events));
    }

    /**
     * Appends to several streams in one transaction, all or nothing, in the order given; every expected version is
     * checked (a stream named twice is checked against its version after the earlier part).
     *
     * <p>When the events carry a command id (all the same one), the append is idempotent: if that command was
     * appended before, its stored events are returned and nothing is written.
     */
    List<RecordedEvent> appendAll(List<StreamAppend> appends);

    /** Every event, in sequence order. */
    Stream<RecordedEvent> replayAll();

    /** Every event with a sequence greater than {@code afterSequence}, in sequence order. */
    Stream<RecordedEvent> replayFrom(long afterSequence);

    /** The events a query selects, in sequence order. */
    Stream<RecordedEvent> read(EventQuery query);

    /** One stream's events from {@code fromVersion} on, in version order; empty when the stream does not exist. */
    Stream<RecordedEvent> readStream(String streamId, long fromVersion);

    /** The highest sequence ever handed out (0 for an empty log); it stays when the newest events are deleted. */
    long lastSequence();

    /** The version of a stream's last event, or -1 when it has none. */
    long streamVersion(String streamId);

    /**
     * Deletes a stream: its events and every projection row built from them. Sequences are never reused, and the
     * stream may be started again from version 0. Returns how many events were deleted.
     */
    long deleteStream(String streamId);

    /**
     * Delivers every event with a sequence greater than {@code afterSequence} to {@code handler} on a thread of the
     * subscription's own, in order, exactly once each, until closed: events committed in this process wake it at
     * once, and it polls to see other processes' commits. If the handler throws, the subscription stops and reports
     * the failure. Only on the store, not on a transaction.
     */
    Subscription subscribe(long afterSequence, Consumer<RecordedEvent> handler);
}
