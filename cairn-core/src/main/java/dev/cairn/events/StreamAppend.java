package dev.cairn.events;

import dev.cairn.InvalidInputException;
import java.util.List;

/** Events to append to one stream, guarded by the version the stream is expected to have; a part of an atomic batch. */
public record StreamAppend(String streamId, ExpectedVersion expected, List<EventData> events) {
    public StreamAppend {
        StreamId.require(streamId);
        if (expected == null) {
            throw new InvalidInputException("the expected version of an append to " + streamId + " is required; use "
                    + "ExpectedVersion.any() to append unconditionally");
        }
        if (events == null || events.isEmpty()) {
            throw new InvalidInputException("an append to " + streamId + " needs at least one event");
        }
        for (EventData event : events) {
            if (event == null) {
                throw new InvalidInputException("an append to " + streamId + " contains a null event");
            }
        }
        events = List.copyOf(events);
    }

    public static StreamAppend of(String streamId, ExpectedVersion expected, EventData... events) {
        return new StreamAppend(streamId, expected, List.of(events));
    }
}
