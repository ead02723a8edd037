package dev.cairn.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * An event as stored in the log. Any stored event reads as a {@code RecordedEvent}, whether or not this version of
 * Cairn knows its type; typed views come from an {@link EventCatalogue}.
 *
 * @param sequence its position in the whole log: strictly increasing, contiguous within one append, never reused
 * @param streamVersion its position in its stream, from 0
 * @param payload the payload JSON object as stored (before any upcasting)
 */
public record RecordedEvent(long sequence, UUID eventId, String streamId, long streamVersion, String type,
        int schemaVersion, String payload, EventMetadata metadata, Instant occurredAt, Instant recordedAt) {
    /** The payload as a JSON tree (parsed on each call). */
    public JsonNode payloadTree() {
        return EventJson.tree(payload);
    }
}
