package dev.cairn.events;

import dev.cairn.InvalidInputException;
import java.util.Objects;
import java.util.Set;

/**
 * Which events to read from the whole log: those after a position, optionally of one stream and of some types, at
 * most {@code limit} of them (0: no limit). Built with {@link #all()} and the {@code with} methods.
 */
public record EventQuery(LogPosition after, String streamId, Set<String> types, long limit) {
    public EventQuery {
        if (after == null) {
            throw new InvalidInputException("the position to read after is required; use LogPosition.START for the "
                    + "whole log");
        }
        if (streamId != null) {
            StreamId.require(streamId);
        }
        types = types == null ? Set.of() : Set.copyOf(types);
        if (limit < 0) {
            throw new InvalidInputException("limit is 0 (no limit) or more, was " + limit);
        }
    }

    /** Every event, in the log's order. */
    public static EventQuery all() {
        return new EventQuery(LogPosition.START, null, Set.of(), 0);
    }

    /** Only events after this position (the position of the last event already read). */
    public EventQuery after(LogPosition position) {
        return new EventQuery(Objects.requireNonNull(position, "position"), streamId, types, limit);
    }

    public EventQuery stream(String id) {
        return new EventQuery(after, id, types, limit);
    }

    public EventQuery types(String... names) {
        return new EventQuery(after, streamId, Set.of(names), limit);
    }

    public EventQuery limit(long max) {
        return new EventQuery(after, streamId, types, max);
    }
}
