package dev.cairn.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.Ids;
import dev.cairn.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * An event to append: its type, its payload (a JSON object, as text), and optionally its id, metadata, the time it
 * happened and the schema version of its payload. Checked when built, so a bad event fails before anything is
 * written.
 *
 * @param eventId the id the caller chose (unique in the store), or null: then the store gives the event its id when
 *     it is appended, a time-ordered UUID derived from the event's place in the log (see
 *     {@link RecordedEvent#eventId()}). Choose one ({@link Ids#next()}) only when the id must be known before the
 *     append, for example to name the event as the causation of another in the same append: a chosen id is stored
 *     and indexed, which makes each append of it a little slower
 * @param type the event type, {@code [A-Za-z][A-Za-z0-9._-]{0,99}}, for example {@code thread.message-sent}
 * @param schemaVersion the version of the payload's schema, 1 or more (see {@link Upcaster})
 * @param payload a JSON object of at most {@link #MAX_PAYLOAD_BYTES} bytes in UTF-8
 * @param metadata who and what caused it
 * @param occurredAt when it happened; null means when it is recorded
 */
public record EventData(UUID eventId, String type, int schemaVersion, String payload, EventMetadata metadata,
        Instant occurredAt) {
    /** The largest payload the log accepts: 1 MiB of UTF-8. Larger content belongs in a file the event names. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;

    /** The rule for types as a regular expression, for the test that holds {@link #wellFormedType} to it. */
    static final String TYPE = "[A-Za-z][A-Za-z0-9._-]{0,99}";

    public EventData {
        if (type == null || !wellFormedType(type)) {
            throw new InvalidInputException("event type '" + type + "' must be 1-100 of [A-Za-z0-9._-] starting with "
                    + "a letter, for example thread.message-sent");
        }
        if (schemaVersion < 1) {
            throw new InvalidInputException("the schema version of a " + type + " event is 1 or more, was "
                    + schemaVersion);
        }
        checkPayload(type, payload);
        if (metadata == null) {
            metadata = EventMetadata.EMPTY;
        }
    }

    /** {@link #TYPE}, checked character by character (each event is checked; see {@link StreamId#wellFormed}). */
    static boolean wellFormedType(String type) {
        if (type.isEmpty() || type.length() > 100) {
            return false;
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            if (!(letter || i > 0 && (c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'))) {
                return false;
            }
        }
        return true;
    }

    /** An event of schema version 1 whose payload is JSON text (it must be an object). */
    public static EventData of(String type, String payloadJson) {
        return new EventData(null, type, 1, payloadJson, null, null);
    }

    /** An event of schema version 1 whose payload is a JSON tree (it must be an object). */
    public static EventData of(String type, JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            throw new InvalidInputException("the payload of a " + type + " event must be a JSON object, was "
                    + (payload == null ? "null" : payload.getNodeType().toString().toLowerCase()));
        }
        return of(type, EventJson.write(payload));
    }

    public EventData withMetadata(EventMetadata metadata) {
        return new EventData(eventId, type, schemaVersion, payload, metadata, occurredAt);
    }

    public EventData withEventId(UUID eventId) {
        return new EventData(eventId, type, schemaVersion, payload, metadata, occurredAt);
    }

    public EventData withOccurredAt(Instant occurredAt) {
        return new EventData(eventId, type, schemaVersion, payload, metadata, occurredAt);
    }

    public EventData withSchemaVersion(int schemaVersion) {
        return new EventData(eventId, type, schemaVersion, payload, metadata, occurredAt);
    }

    private static void checkPayload(String type, String payload) {
        if (payload == null) {
            throw new InvalidInputException("the payload of a " + type + " event must be a JSON object, was null");
        }
        // Three bytes per char bounds UTF-8 from above; count exactly only when that bound is exceeded.
        if ((long) payload.length() * 3 > MAX_PAYLOAD_BYTES
                && payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw new InvalidInputException("the payload of a " + type + " event is "
                    + payload.getBytes(StandardCharsets.UTF_8).length + " bytes, over the limit of "
                    + MAX_PAYLOAD_BYTES + "; store large content elsewhere and reference it");
        }
        if (JsonObjectScan.surelyObject(payload)) {
            return; // the common case, decided by a quick scan; anything else Jackson judges and explains
        }
        // A streaming pass checks the shape without building a tree: the text is stored as given.
        try (JsonParser parser = EventJson.parser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException("the payload of a " + type + " event must be a JSON object, was: "
                        + abbreviate(payload));
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new InvalidInputException("the payload of a " + type + " event has text after its JSON object: "
                        + abbreviate(payload));
            }
        } catch (IOException e) {
            throw new InvalidInputException("the payload of a " + type + " event is not valid JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + "): " + abbreviate(payload));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
