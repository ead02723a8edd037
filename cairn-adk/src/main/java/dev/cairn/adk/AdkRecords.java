package dev.cairn.adk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.adk.JsonBaseModel;
import com.google.adk.events.Event;
import com.google.adk.sessions.State;
import dev.cairn.InvalidInputException;
import dev.cairn.conversations.Conversations;
import dev.cairn.events.EventData;
import dev.cairn.events.RecordedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * The events of the ADK streams (see {@link AdkStreams}) and what their folds make of them.
 *
 * <p>A session's stream holds {@code adk.session-created} (app, user, session and the session's own initial state),
 * then one {@code adk.event} per appended ADK event whose payload is the event's JSON as ADK writes it
 * ({@link Event#toJson}), with a removal written as {@code null} (what {@link Event#fromJson} reads back as
 * {@link State#REMOVED}) and {@code temp:} keys left out. An event whose JSON is longer than
 * {@link Conversations#CHUNK_CHARS} characters (inline images, PDFs) is stored as {@code adk.event-chunk} events holding
 * consecutive parts of that JSON, then an {@code adk.event} whose payload is {@code {"chunks": n, "id", "timestamp"}},
 * all in one append, as chat messages are.
 *
 * <p>The app's stream holds {@code adk.app-state-changed} and the user's {@code adk.user-state-changed}, each with a
 * {@code delta} of keys without their prefix ({@code null}: removed); the user's stream also lists the user's sessions
 * ({@code adk.session-listed}, {@code adk.session-unlisted}), so that listing them reads one stream.
 */
final class AdkRecords {
    static final String CREATED = "adk.session-created";
    static final String EVENT = "adk.event";
    static final String CHUNK = "adk.event-chunk";
    static final String APP_STATE = "adk.app-state-changed";
    static final String USER_STATE = "adk.user-state-changed";
    static final String LISTED = "adk.session-listed";
    static final String UNLISTED = "adk.session-unlisted";

    /** ADK's own mapper, so that events and state values read back as ADK wrote them. */
    static final ObjectMapper JSON = JsonBaseModel.getMapper();

    private AdkRecords() {}

    /** The records of one ADK event: its JSON, or its chunks and the record that closes them. */
    static List<EventData> event(Event event) {
        String json = eventJson(event);
        Instant occurredAt = Instant.ofEpochMilli(event.timestamp());
        List<EventData> out = new ArrayList<>();
        if (json.length() <= Conversations.CHUNK_CHARS) {
            out.add(EventData.of(EVENT, json).withOccurredAt(occurredAt));
            return out;
        }
        for (int start = 0; start < json.length(); ) {
            int end = Math.min(json.length(), start + Conversations.CHUNK_CHARS);
            if (end < json.length() && Character.isHighSurrogate(json.charAt(end - 1))) {
                end--; // a surrogate pair stays in one chunk, so each chunk is well-formed text
            }
            ObjectNode chunk = JsonNodeFactory.instance.objectNode().put("json", json.substring(start, end));
            out.add(EventData.of(CHUNK, chunk).withOccurredAt(occurredAt));
            start = end;
        }
        ObjectNode marker = JsonNodeFactory.instance.objectNode().put("chunks", out.size()).put("id", event.id())
                .put("timestamp", event.timestamp());
        out.add(EventData.of(EVENT, marker).withOccurredAt(occurredAt));
        return out;
    }

    /** The event's JSON as ADK writes it, with removals as {@code null} and without {@code temp:} keys. */
    static String eventJson(Event event) {
        String json = event.toJson();
        Map<String, Object> delta = event.actions() == null ? null : event.actions().stateDelta();
        if (delta == null || delta.entrySet().stream()
                .noneMatch(e -> e.getValue() == State.REMOVED || e.getKey().startsWith(State.TEMP_PREFIX))) {
            return json;
        }
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(json);
            ObjectNode written = (ObjectNode) tree.path("actions").path("stateDelta");
            delta.forEach((key, value) -> {
                if (key.startsWith(State.TEMP_PREFIX)) {
                    written.remove(key);
                } else if (value == State.REMOVED) {
                    written.putNull(key);
                }
            });
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("ADK wrote event " + event.id() + " as JSON it cannot read back", e);
        }
    }

    /** A state delta as JSON, keys as given ({@code null} for a removal). */
    static ObjectNode delta(Map<String, Object> values, String what) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        values.forEach((key, value) -> out.set(key, value == State.REMOVED || value == null ? null : tree(value, key,
                what)));
        return out;
    }

    private static JsonNode tree(Object value, String key, String what) {
        try {
            return JSON.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("the value of state key '" + key + "' of " + what + " cannot be written as "
                    + "JSON (" + e.getMessage() + "); state values must be what ADK's JSON mapper can write");
        }
    }

    /** A stored state value as ADK reads JSON: maps, lists, strings, numbers, booleans. */
    static Object value(JsonNode node) {
        try {
            return JSON.treeToValue(node, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored state value is not JSON ADK can read: " + node, e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored ADK record is not JSON: " + abbreviate(json), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** Reads the ADK events of a session's records, joining chunks; {@code wanted} picks them by version. */
    static void events(Iterator<RecordedEvent> records, LongPredicate wanted, long upTo,
            Consumer<Event> out) {
        StringBuilder chunks = null;
        while (records.hasNext()) {
            RecordedEvent record = records.next();
            if (record.streamVersion() > upTo) {
                return;
            }
            switch (record.type()) {
                case CHUNK -> {
                    chunks = chunks == null ? new StringBuilder() : chunks;
                    chunks.append(tree(record.payload()).path("json").asText());
                }
                case EVENT -> {
                    if (wanted.test(record.streamVersion())) {
                        out.accept(Event.fromJson(chunks != null ? chunks.toString() : record.payload()));
                    }
                    chunks = null;
                }
                default -> { }
            }
        }
    }

    /** Where one ADK event is in its stream: its first record, its last, its time (epoch ms) and its id. */
    record EventRef(long start, long version, long timestamp, String id) {}

    /**
     * A session as its stream says: who it belongs to, its own state (no {@code app:}, {@code user:} or {@code temp:}
     * keys), where each of its events is, and the version and id of the stream's last record.
     */
    record SessionFold(String app, String user, String id, Instant createdAt, Map<String, JsonNode> state,
            List<EventRef> events, long version, UUID lastEventId) implements StreamCache.Folded {

        Instant lastUpdateTime() {
            return events.isEmpty() ? createdAt : Instant.ofEpochMilli(events.get(events.size() - 1).timestamp);
        }

        /** The fold after {@code records}, which follow {@code from} (null: the stream's start) in the stream. */
        static SessionFold fold(SessionFold from, Iterator<RecordedEvent> records) {
            if (from == null && !records.hasNext()) {
                return null;
            }
            String app = from == null ? null : from.app;
            String user = from == null ? null : from.user;
            String id = from == null ? null : from.id;
            Instant createdAt = from == null ? null : from.createdAt;
            Map<String, JsonNode> state = from == null ? new LinkedHashMap<>() : new LinkedHashMap<>(from.state);
            List<EventRef> events = from == null ? new ArrayList<>() : new ArrayList<>(from.events);
            long version = from == null ? -1 : from.version;
            UUID lastEventId = from == null ? null : from.lastEventId;
            StringBuilder chunks = null;
            long chunkStart = -1;
            while (records.hasNext()) {
                RecordedEvent record = records.next();
                switch (record.type()) {
                    case CREATED -> {
                        JsonNode payload = tree(record.payload());
                        app = payload.path("app").asText();
                        user = payload.path("user").asText();
                        id = payload.path("session").asText();
                        createdAt = record.recordedAt();
                        payload.path("state").properties().forEach(e -> state.put(e.getKey(), e.getValue()));
                    }
                    case CHUNK -> {
                        if (chunks == null) {
                            chunks = new StringBuilder();
                            chunkStart = record.streamVersion();
                        }
                        chunks.append(tree(record.payload()).path("json").asText());
                    }
                    case EVENT -> {
                        JsonNode event = tree(chunks != null ? chunks.toString() : record.payload());
                        long start = chunks != null ? chunkStart : record.streamVersion();
                        events.add(new EventRef(start, record.streamVersion(), event.path("timestamp").asLong(),
                                event.path("id").isTextual() ? event.path("id").asText() : null));
                        event.path("actions").path("stateDelta").properties().forEach(e -> {
                            String key = e.getKey();
                            if (!key.startsWith(State.APP_PREFIX) && !key.startsWith(State.USER_PREFIX)
                                    && !key.startsWith(State.TEMP_PREFIX)) {
                                apply(state, key, e.getValue());
                            }
                        });
                        chunks = null;
                    }
                    default -> { } // a record of a later version of this module
                }
                version = record.streamVersion();
                lastEventId = record.eventId();
            }
            return new SessionFold(app, user, id, createdAt, Map.copyOf(state), List.copyOf(events), version,
                    lastEventId);
        }
    }

    /** The state an app or a user shares (keys without their prefix), and the user's sessions in creation order. */
    record ScopeFold(Map<String, JsonNode> state, Set<String> sessions, long version, UUID lastEventId)
            implements StreamCache.Folded {
        static final ScopeFold EMPTY = new ScopeFold(Map.of(), Set.of(), -1, null);

        static ScopeFold fold(ScopeFold from, Iterator<RecordedEvent> records) {
            if (from == null && !records.hasNext()) {
                return null;
            }
            from = from == null ? EMPTY : from;
            Map<String, JsonNode> state = new LinkedHashMap<>(from.state);
            Set<String> sessions = new LinkedHashSet<>(from.sessions);
            long version = from.version;
            UUID lastEventId = from.lastEventId;
            while (records.hasNext()) {
                RecordedEvent record = records.next();
                switch (record.type()) {
                    case APP_STATE, USER_STATE -> tree(record.payload()).path("delta").properties()
                            .forEach(e -> apply(state, e.getKey(), e.getValue()));
                    case LISTED -> sessions.add(tree(record.payload()).path("session").asText());
                    case UNLISTED -> sessions.remove(tree(record.payload()).path("session").asText());
                    default -> { }
                }
                version = record.streamVersion();
                lastEventId = record.eventId();
            }
            return new ScopeFold(Map.copyOf(state), Collections.unmodifiableSet(sessions), version, lastEventId);
        }
    }

    private static void apply(Map<String, JsonNode> state, String key, JsonNode value) {
        if (value == null || value.isNull()) {
            state.remove(key);
        } else {
            state.put(key, value);
        }
    }
}
