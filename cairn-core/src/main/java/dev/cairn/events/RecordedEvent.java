package dev.cairn.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * An event as stored in the log. Any stored event reads as a {@code RecordedEvent}, whether or not this version of
 * Cairn knows its type; typed views come from an {@link EventCatalogue}.
 *
 * @param position its place in the log's order: what a reader stores to continue after it ({@link LogPosition})
 * @param eventId its id: the one its {@link EventData} carried, else one the store derived from its place in the log
 *     when it was appended, a UUID version 7 of the time it was recorded; unique in the store, and the same on every
 *     read and in every copy of the store
 * @param streamVersion its position in its stream, from 0
 * @param payload the payload JSON object as stored (before any upcasting)
 */
public record RecordedEvent(LogPosition position, UUID eventId, String streamId, long streamVersion, String type,
        int schemaVersion, String payload, EventMetadata metadata, Instant occurredAt, Instant recordedAt) {
    /**
     * Its sequence, the event's identity in the log: unique and never reused, increasing within a stream and within
     * an append (and contiguous within an append on SQLite). Read the log in order by {@link #position()}.
     */
    public long sequence() {
        return position.sequence();
    }

    /** The payload as a JSON tree (parsed on each call). */
    public JsonNode payloadTree() {
        return EventJson.tree(payload);
    }
}
