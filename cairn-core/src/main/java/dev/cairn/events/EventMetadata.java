package dev.cairn.events;

import dev.cairn.InvalidInputException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who and what caused an event, every part optional.
 *
 * @param actorKind who acted
 * @param commandId the command that produced the event; an append whose events carry a command id is idempotent: a
 *     second append with the same command id returns the first one's events and writes nothing
 * @param causationId the event or request that caused this one
 * @param correlationId the conversation or job this event belongs to
 * @param extra free keys, for anything the fields above do not say
 */
public record EventMetadata(ActorKind actorKind, String commandId, String causationId, String correlationId,
        Map<String, String> extra) {
    /** No metadata at all. */
    public static final EventMetadata EMPTY = new EventMetadata(null, null, null, null, Map.of());

    private static final int MAX_ID_LENGTH = 200;

    public EventMetadata {
        checkId("commandId", commandId);
        checkId("causationId", causationId);
        checkId("correlationId", correlationId);
        if (extra == null) {
            extra = Map.of();
        } else {
            for (Map.Entry<String, String> entry : extra.entrySet()) {
                if (entry.getKey() == null || entry.getKey().isEmpty() || entry.getValue() == null) {
                    throw new InvalidInputException("metadata extra keys must be non-empty and values non-null, got "
                            + entry.getKey() + "=" + entry.getValue());
                }
            }
            // Sorted, so that equal metadata stores equal text.
            extra = extra.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(extra));
        }
    }

    public static EventMetadata of(ActorKind actorKind) {
        return new EventMetadata(actorKind, null, null, null, Map.of());
    }

    public EventMetadata withActorKind(ActorKind kind) {
        return new EventMetadata(kind, commandId, causationId, correlationId, extra);
    }

    public EventMetadata withCommandId(String id) {
        return new EventMetadata(actorKind, id, causationId, correlationId, extra);
    }

    public EventMetadata withCausationId(String id) {
        return new EventMetadata(actorKind, commandId, id, correlationId, extra);
    }

    public EventMetadata withCorrelationId(String id) {
        return new EventMetadata(actorKind, commandId, causationId, id, extra);
    }

    /** A copy with one more free key. */
    public EventMetadata with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(extra);
        copy.put(key, value);
        return new EventMetadata(actorKind, commandId, causationId, correlationId, copy);
    }

    private static void checkId(String name, String value) {
        if (value != null && (value.isBlank() || value.length() > MAX_ID_LENGTH)) {
            throw new InvalidInputException("metadata " + name + " must be 1 to " + MAX_ID_LENGTH
                    + " characters and not blank, was '" + value + "'");
        }
    }
}
