package dev.cairn.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.CairnException;
import dev.cairn.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The typed events of one sealed hierarchy: maps each record to its stored type name (from its {@link EventType}) and
 * back, and upgrades old payloads on read with {@link Upcaster}s.
 *
 * <p>Built from the sealed interface itself, so a record added to the hierarchy is in the catalogue, and a record
 * without {@code @EventType} or with a name already taken fails when the catalogue is built, not when it is stored.
 *
 * @param <E> the root of the hierarchy
 */
public final class EventCatalogue<E> {
    private final Class<E> root;
    private final Map<Class<?>, EventType> byClass = new LinkedHashMap<>();
    private final Map<String, Class<? extends E>> byName = new LinkedHashMap<>();
    private final Map<String, Upcaster> upcasters = new HashMap<>();
    /** A reader per stored type name, built once: a replay decodes every event, and the mapper's own per-call lookup
     * of the root deserializer was a sixth of that. */
    private final Map<String, ObjectReader> readers = new HashMap<>();

    private EventCatalogue(Class<E> root, List<Upcaster> upcasters) {
        this.root = root;
        collect(root);
        for (Upcaster upcaster : upcasters) {
            Class<? extends E> type = byName.get(upcaster.type());
            if (type == null) {
                throw new IllegalArgumentException("an upcaster names " + upcaster.type() + ", which is not a type of "
                        + root.getSimpleName());
            }
            int current = byClass.get(type).version();
            if (upcaster.fromVersion() < 1 || upcaster.fromVersion() >= current) {
                throw new IllegalArgumentException("the upcaster of " + upcaster.type() + " from version "
                        + upcaster.fromVersion() + " does not lead towards its current version " + current);
            }
            if (this.upcasters.put(key(upcaster.type(), upcaster.fromVersion()), upcaster) != null) {
                throw new IllegalArgumentException("two upcasters of " + upcaster.type() + " from version "
                        + upcaster.fromVersion() + "; keep one per schema change");
            }
        }
    }

    /** The catalogue of a sealed interface whose leaves are records annotated with {@link EventType}. */
    public static <E> EventCatalogue<E> of(Class<E> sealedRoot, Upcaster... upcasters) {
        return new EventCatalogue<>(sealedRoot, List.of(upcasters));
    }

    @SuppressWarnings("unchecked")
    private void collect(Class<?> type) {
        if (type.isSealed()) {
            for (Class<?> sub : type.getPermittedSubclasses()) {
                collect(sub);
            }
            return;
        }
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " in the events of " + root.getSimpleName()
                    + " must be a record or a sealed interface");
        }
        EventType annotation = type.getAnnotation(EventType.class);
        if (annotation == null) {
            throw new IllegalArgumentException(type.getName() + " has no @EventType naming its stored type");
        }
        Class<? extends E> previous = byName.putIfAbsent(annotation.value(), (Class<? extends E>) type);
        if (previous != null) {
            throw new IllegalArgumentException(type.getName() + " and " + previous.getName() + " both claim the type "
                    + annotation.value());
        }
        if (annotation.version() < 1) {
            throw new IllegalArgumentException(type.getName() + " has schema version " + annotation.version()
                    + "; versions start at 1");
        }
        byClass.put(type, annotation);
        readers.put(annotation.value(), EventJson.readerFor(type));
    }

    /** The stored type names, in declaration order. */
    public Set<String> types() {
        return Collections.unmodifiableSet(byName.keySet());
    }

    /** The record classes, in declaration order. */
    public List<Class<? extends E>> eventClasses() {
        return new ArrayList<>(byName.values());
    }

    public boolean knows(String type) {
        return byName.containsKey(type);
    }

    /** The stored type name of a record class of this catalogue. */
    public String typeOf(Class<?> eventClass) {
        return annotation(eventClass).value();
    }

    /** The current schema version of a record class of this catalogue. */
    public int schemaVersionOf(Class<?> eventClass) {
        return annotation(eventClass).version();
    }

    /** The event as data to append, without metadata. */
    public EventData toData(E event) {
        return toData(event, EventMetadata.EMPTY);
    }

    /** The event as data to append: its type and schema version from its {@link EventType}, its fields as payload. */
    public EventData toData(E event, EventMetadata metadata) {
        if (event == null) {
            throw new InvalidInputException("cannot append a null " + root.getSimpleName());
        }
        EventType type = annotation(event.getClass());
        return new EventData(null, type.value(), type.version(), EventJson.write(event), metadata, null);
    }

    /** The event in its JSON form: its payload fields plus {@code type}, the same name the type column holds. */
    public ObjectNode toJson(E event) {
        ObjectNode node = EventJson.objectNode();
        node.put("type", typeOf(event.getClass()));
        node.setAll(EventJson.objectTree(event));
        return node;
    }

    /**
     * The typed event of a stored one, its payload upgraded to the current schema; empty when this catalogue does not
     * know the type (an event of another catalogue, or written by a newer Cairn), which is never an error.
     */
    public Optional<E> decode(RecordedEvent event) {
        Class<? extends E> type = byName.get(event.type());
        if (type == null) {
            return Optional.empty();
        }
        int current = byClass.get(type).version();
        try {
            if (event.schemaVersion() == current) {
                return Optional.of(type.cast(readers.get(event.type()).readValue(event.payload())));
            }
            if (event.schemaVersion() > current) {
                throw new CairnException("event " + event.sequence() + " (" + event.type() + ") has schema version "
                        + event.schemaVersion() + ", newer than this Cairn's " + current
                        + "; read it as a raw event or upgrade Cairn");
            }
            JsonNode tree = EventJson.readTree(event.payload());
            ObjectNode payload = (ObjectNode) tree;
            for (int version = event.schemaVersion(); version < current; version++) {
                Upcaster upcaster = upcasters.get(key(event.type(), version));
                if (upcaster == null) {
                    throw new CairnException("event " + event.sequence() + " (" + event.type() + ") has schema version "
                            + version + " and no upcaster leads from it to " + current + "; add one to the catalogue");
                }
                payload = upcaster.upcast(payload);
            }
            return Optional.of(type.cast(readers.get(event.type()).readValue(payload)));
        } catch (IOException | IllegalArgumentException e) {
            throw new CairnException("event " + event.sequence() + " (" + event.type() + " v" + event.schemaVersion()
                    + ") does not fit " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private EventType annotation(Class<?> eventClass) {
        EventType type = byClass.get(eventClass);
        if (type == null) {
            throw new InvalidInputException(eventClass.getName() + " is not an event of " + root.getSimpleName());
        }
        return type;
    }

    private static String key(String type, int version) {
        return type + "#" + version;
    }
}
