package dev.cairn.events;

import dev.cairn.InvalidInputException;
import java.util.Set;

/**
 * Which events to read from the whole log: those after a sequence, optionally of one stream and of some types, at most
 * {@code limit} of them (0: no limit). Built with {@link #all()} and the {@code with} methods.
 */
public record EventQuery(long afterSequence, String streamId, Set<String> types, long limit) {
    public EventQuery {
        if (afterSequence < 0) {
            throw new InvalidInputException("afterSequence is 0 or more, was " + afterSequence);
        }
        if (streamId != null) {
            StreamId.require(streamId);
        }
        types = types == null ? Set.of() : Set.copyOf(types);
        if (limit < 0) {
            throw new InvalidInputException("limit is 0 (no limit) or more, was " + limit);
        }
    }

    /** Every event, in sequence order. */
    public static EventQuery all() {
        return new EventQuery(0, null, Set.of(), 0);
    }

    public EventQuery after(long sequence) {
        return new EventQuery(sequence, streamId, types, limit);
    }

    public EventQuery stream(String id) {
        return new EventQuery(afterSequence, id, types, limit);
    }

    public EventQuery types(String... names) {
        return new EventQuery(afterSequence, streamId, Set.of(names), limit);
    }

    public EventQuery limit(long max) {
        return new EventQuery(afterSequence, streamId, types, max);
    }
}
