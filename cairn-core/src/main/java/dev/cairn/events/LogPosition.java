package dev.cairn.events;

import dev.cairn.InvalidInputException;

/**
 * A place in the log's order, after which a reader continues: store the position of the last event you handled
 * ({@link RecordedEvent#position()}, or its {@link #toString() text form}) and pass it back to
 * {@link EventLog#replayFrom}, {@link EventQuery#after} or {@link EventLog#subscribe} to get every later event,
 * once each, none skipped. {@link #START} comes before every event.
 *
 * <p>The log is ordered by {@code transactionOrder}, then by {@code sequence}. On SQLite, whose one writer commits in
 * sequence order, the transaction order is always 0 and a position is just its sequence. On PostgreSQL appends
 * commit in parallel, so a later sequence can commit first; there the transaction order is the writing transaction's
 * id (raised, where needed, to keep every stream in version order), and readers see only events of transactions older
 * than every one still open, so no event can later turn up before a position already handed out. Events written
 * before PostgreSQL stored transaction ids have transaction order 0 and come first.
 *
 * <p>A position belongs to its store: a copy ({@code cairn copy}) gives the copied events transaction order 0.
 *
 * @param transactionOrder the order of the transaction that appended the event; 0 or more
 * @param sequence the event's sequence, its identity in the log; 0 only in {@link #START}
 */
public record LogPosition(long transactionOrder, long sequence) implements Comparable<LogPosition> {
    /** Before every event: reading after it reads the whole log. */
    public static final LogPosition START = new LogPosition(0, 0);

    public LogPosition {
        if (transactionOrder < 0 || sequence < 0) {
            throw new InvalidInputException("a log position has a transaction order and a sequence of 0 or more, was "
                    + transactionOrder + ":" + sequence);
        }
    }

    /**
     * Reads the text form {@link #toString()} writes: {@code SEQUENCE} (transaction order 0, e.g. {@code 17}) or
     * {@code TRANSACTION:SEQUENCE} (e.g. {@code 8812:17}).
     *
     * @throws InvalidInputException when the text is not one of the two forms
     */
    public static LogPosition parse(String text) {
        if (text == null) {
            throw new InvalidInputException("a log position is required (SEQUENCE or TRANSACTION:SEQUENCE)");
        }
        int colon = text.indexOf(':');
        try {
            return colon < 0 ? new LogPosition(0, Long.parseLong(text))
                    : new LogPosition(Long.parseLong(text.substring(0, colon)),
                            Long.parseLong(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("'" + text + "' is not a log position: write SEQUENCE or "
                    + "TRANSACTION:SEQUENCE, as an event's position prints (e.g. 17 or 8812:17)");
        }
    }

    /** Whether this position comes after {@code other} in the log's order. */
    public boolean isAfter(LogPosition other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(LogPosition other) {
        int byTransaction = Long.compare(transactionOrder, other.transactionOrder);
        return byTransaction != 0 ? byTransaction : Long.compare(sequence, other.sequence);
    }

    /** {@code SEQUENCE} when the transaction order is 0, else {@code TRANSACTION:SEQUENCE}; {@link #parse} reads it. */
    @Override
    public String toString() {
        return transactionOrder == 0 ? Long.toString(sequence) : transactionOrder + ":" + sequence;
    }
}
