package dev.cairn.conversations.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.InvalidInputException;
import dev.cairn.WrongExpectedVersionException;
import dev.cairn.conversations.ConversationMessage;
import dev.cairn.conversations.ConversationSummary;
import dev.cairn.conversations.ConversationWindow;
import dev.cairn.conversations.Conversations;
import dev.cairn.conversations.HistoryEntry;
import dev.cairn.events.EventData;
import dev.cairn.events.EventLog;
import dev.cairn.events.EventQuery;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.RecordedEvent;
import dev.cairn.events.StreamId;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Conversations on the event log, through its public API only. A conversation's stream holds four event types:
 * {@code chat.message-added} (role, content, summary; or the number of chunks just before it),
 * {@code chat.message-chunk} (a part of the next added message's content), {@code chat.message-evicted} (the
 * position of a message that left the window) and {@code chat.window-ordered} (the positions of the window in order,
 * written only when a save reorders it). The stream's first event also names the conversation, for ids too long to be
 * encoded.
 *
 * <p>Each instance caches the window of the conversations it served, with the version and event id it was read at,
 * and catches up by reading the stream from that version: one short query when nothing changed. The event id tells a
 * stream that was deleted and written again from the one cached.
 */
public final class EventConversations implements Conversations {
    static final String ADDED = "chat.message-added";
    static final String CHUNK = "chat.message-chunk";
    static final String EVICTED = "chat.message-evicted";
    static final String ORDERED = "chat.window-ordered";
    private static final int MAX_CACHED = 1_024;
    private static final int MAX_ATTEMPTS = 50;
    private static final JsonFactory JSON = new JsonFactory();

    private final EventLog events;
    private final Clock clock;
    private final Map<String, State> cache = new ConcurrentHashMap<>();

    public EventConversations(EventLog events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** A visible message: the position of the event that added it, and the message. */
    private record Entry(long position, ConversationMessage message) {}

    /** A conversation's window at a version; {@code lastEventId} is null when the stream has no events. */
    private record State(long version, String lastEventId, List<Entry> visible) {
        static final State EMPTY = new State(-1, null, List.of());
    }

    @Override
    public String streamId(String conversationId) {
        return ConversationIds.streamId(requireId(conversationId));
    }

    @Override
    public ConversationWindow window(String conversationId) {
        State state = current(streamId(conversationId));
        return new ConversationWindow(state.visible.stream().map(Entry::message).toList(), state.version);
    }

    @Override
    public ConversationWindow sync(String conversationId, List<ConversationMessage> window, long seenVersion) {
        if (window == null || window.stream().anyMatch(java.util.Objects::isNull)) {
            throw new InvalidInputException("the window of conversation '" + conversationId + "' is null or holds a "
                    + "null message; pass the messages to keep, an empty list to clear the window");
        }
        String stream = streamId(conversationId);
        for (int attempt = 1; ; attempt++) {
            State state = current(stream);
            long seen = seenVersion == -2 ? state.version : seenVersion;
            List<EventData> changes = changes(conversationId, state, window, seen);
            if (changes.isEmpty()) {
                return new ConversationWindow(window(state), state.version);
            }
            try {
                List<RecordedEvent> written = events.append(stream, state.version < 0 ? ExpectedVersion.noStream()
                        : ExpectedVersion.exact(state.version), changes);
                State next = apply(state, written);
                remember(stream, next);
                return new ConversationWindow(window(next), next.version);
            } catch (WrongExpectedVersionException e) {
                // Another writer got in first: align again with what it wrote. Keeping seenVersion fixed means its
                // messages, which the caller never saw, stay visible.
                if (seenVersion == -2) {
                    seenVersion = state.version;
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** The events that turn {@code state}'s window into {@code window}. */
    private static List<EventData> changes(String conversationId, State state, List<ConversationMessage> window,
            long seen) {
        List<Entry> visible = state.visible;
        int[] match = align(visible, window);
        List<EventData> out = new ArrayList<>();
        // Positions of the window as it will be, in order; new messages get theirs once their events are counted.
        List<Entry> kept = new ArrayList<>();
        for (int i = 0; i < visible.size(); i++) {
            if (match[i] < 0 && visible.get(i).position <= seen) {
                out.add(EventData.of(EVICTED, "{\"message\":" + visible.get(i).position + "}"));
            } else if (match[i] < 0) {
                kept.add(visible.get(i)); // added after the caller's view: not the caller's to evict
            }
        }
        boolean[] matched = new boolean[window.size()];
        int lastMatched = -1;
        for (int m : match) {
            if (m >= 0) {
                matched[m] = true;
                lastMatched = Math.max(lastMatched, m);
            }
        }
        long next = state.version + 1 + out.size();
        long[] positions = new long[window.size()];
        Map<Integer, Long> byWindowIndex = new HashMap<>();
        for (int i = 0; i < visible.size(); i++) {
            if (match[i] >= 0) {
                byWindowIndex.put(match[i], visible.get(i).position);
            }
        }
        // Messages of others (kept) stay where the log put them, before this save's new ones: that is when they came.
        boolean reordered = false;
        for (int w = 0; w < window.size(); w++) {
            if (matched[w]) {
                positions[w] = byWindowIndex.get(w);
                continue;
            }
            ConversationMessage message = window.get(w);
            List<EventData> added = added(message, state.version < 0 && out.isEmpty() && next == 0
                    ? conversationId : null);
            out.addAll(added);
            next += added.size();
            positions[w] = next - 1;
            if (w < lastMatched) {
                reordered = true; // a new message before a kept one: stream order no longer is window order
            }
        }
        if (reordered) {
            StringBuilder order = new StringBuilder("{\"order\":[");
            for (int w = 0; w < positions.length; w++) {
                order.append(w == 0 ? "" : ",").append(positions[w]);
            }
            for (Entry entry : kept) {
                order.append(positions.length == 0 && entry == kept.get(0) ? "" : ",").append(entry.position);
            }
            out.add(EventData.of(ORDERED, order.append("]}").toString()));
        }
        return out;
    }

    /**
     * For each visible message, the index in {@code window} of the same message, or -1: a longest common subsequence
     * by content, so repeated identical messages pair up in order and every pair keeps both orders.
     */
    private static int[] align(List<Entry> visible, List<ConversationMessage> window) {
        int n = visible.size();
        int m = window.size();
        int[] match = new int[n];
        java.util.Arrays.fill(match, -1);
        // The usual save: the stored window, perhaps less some messages at the front, then new ones at the end.
        int offset = 0;
        while (offset < n && !visible.get(offset).message.content().equals(m > 0 ? window.get(0).content() : null)) {
            offset++;
        }
        int common = 0;
        while (offset + common < n && common < m
                && visible.get(offset + common).message.content().equals(window.get(common).content())) {
            common++;
        }
        if (offset + common == n && (common > 0 || n == 0)) {
            for (int i = 0; i < common; i++) {
                match[offset + i] = i;
            }
            return match;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = visible.get(i).message.content().equals(window.get(j).content()) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        for (int i = 0, j = 0; i < n && j < m; ) {
            if (visible.get(i).message.content().equals(window.get(j).content())) {
                match[i++] = j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return match;
    }

    /** The events that add one message: its chunks, if its content is long, then the message itself. */
    private static List<EventData> added(ConversationMessage message, String firstOfConversation) {
        String content = message.content();
        List<EventData> out = new ArrayList<>();
        int chunks = 0;
        if (content.length() > CHUNK_CHARS) {
            for (int start = 0; start < content.length(); ) {
                int end = Math.min(content.length(), start + CHUNK_CHARS);
                if (end < content.length() && Character.isHighSurrogate(content.charAt(end - 1))) {
                    end--; // keep a surrogate pair in one chunk, so each chunk is well-formed text on its own
                }
                String part = content.substring(start, end);
                out.add(EventData.of(CHUNK, json(g -> {
                    g.writeStringField("content", part);
                    if (out.isEmpty() && firstOfConversation != null) {
                        g.writeStringField("conversation", firstOfConversation);
                    }
                })));
                start = end;
                chunks++;
            }
        }
        int parts = chunks;
        String conversation = out.isEmpty() ? firstOfConversation : null;
        out.add(EventData.of(ADDED, json(g -> {
            g.writeStringField("role", message.role());
            if (parts == 0) {
                g.writeStringField("content", content);
            } else {
                g.writeNumberField("chunks", parts);
            }
            if (message.summary() != null) {
                g.writeStringField("summary", message.summary());
            }
            if (conversation != null) {
                g.writeStringField("conversation", conversation);
            }
        })));
        return out;
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static String json(Fields fields) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static List<ConversationMessage> window(State state) {
        return state.visible.stream().map(Entry::message).toList();
    }

    /** The conversation's state now: the cached one caught up, or a full read when the cache cannot be trusted. */
    private State current(String stream) {
        State cached = cache.get(stream);
        if (cached != null && cached.version >= 0) {
            List<RecordedEvent> since;
            try (Stream<RecordedEvent> read = events.readStream(stream, cached.version)) {
                since = read.toList();
            }
            if (!since.isEmpty() && since.get(0).eventId().toString().equals(cached.lastEventId)) {
                State next = apply(cached, since.subList(1, since.size()));
                if (next != cached) {
                    remember(stream, next);
                }
                return next;
            }
        } else if (cached != null && events.streamVersion(stream) < 0) {
            return cached;
        }
        List<RecordedEvent> all;
        try (Stream<RecordedEvent> read = events.readStream(stream, 0)) {
            all = read.toList();
        }
        State state = apply(State.EMPTY, all);
        remember(stream, state);
        return state;
    }

    private void remember(String stream, State state) {
        if (cache.size() >= MAX_CACHED && !cache.containsKey(stream)) {
            cache.clear(); // a crude bound: the cache only saves reads, and refills from the log
        }
        cache.put(stream, state);
    }

    /** The state after {@code recorded}, which follow {@code state} in its stream. */
    private static State apply(State state, List<RecordedEvent> recorded) {
        if (recorded.isEmpty()) {
            return state;
        }
        List<Entry> visible = new ArrayList<>(state.visible);
        StringBuilder chunks = null;
        for (RecordedEvent event : recorded) {
            JsonNode payload = event.payloadTree();
            switch (event.type()) {
                case CHUNK -> {
                    chunks = chunks == null ? new StringBuilder() : chunks;
                    chunks.append(payload.path("content").asText());
                }
                case ADDED -> {
                    visible.add(new Entry(event.streamVersion(), message(payload, chunks)));
                    chunks = null;
                }
                case EVICTED -> {
                    long position = payload.path("message").asLong();
                    visible.removeIf(e -> e.position == position);
                }
                case ORDERED -> {
                    Map<Long, Entry> byPosition = new HashMap<>();
                    visible.forEach(e -> byPosition.put(e.position, e));
                    List<Entry> ordered = new ArrayList<>();
                    for (JsonNode position : payload.path("order")) {
                        Entry entry = byPosition.remove(position.asLong());
                        if (entry != null) {
                            ordered.add(entry);
                        }
                    }
                    visible.stream().filter(e -> byPosition.containsKey(e.position)).forEach(ordered::add);
                    visible = ordered;
                }
                default -> { } // a type of a later Cairn: not part of the window
            }
        }
        RecordedEvent last = recorded.get(recorded.size() - 1);
        return new State(last.streamVersion(), last.eventId().toString(), List.copyOf(visible));
    }

    private static ConversationMessage message(JsonNode payload, StringBuilder chunks) {
        String content = chunks != null ? chunks.toString() : payload.path("content").asText();
        JsonNode summary = payload.get("summary");
        return new ConversationMessage(payload.path("role").asText(), content,
                summary == null || summary.isNull() ? null : summary.asText());
    }

    @Override
    public List<HistoryEntry> history(String conversationId) {
        List<HistoryEntry> out = new ArrayList<>();
        Map<Long, Integer> indexByPosition = new HashMap<>();
        StringBuilder chunks = null;
        try (Stream<RecordedEvent> read = events.readStream(streamId(conversationId), 0)) {
            for (RecordedEvent event : (Iterable<RecordedEvent>) read::iterator) {
                JsonNode payload = event.payloadTree();
                switch (event.type()) {
                    case CHUNK -> {
                        chunks = chunks == null ? new StringBuilder() : chunks;
                        chunks.append(payload.path("content").asText());
                    }
                    case ADDED -> {
                        indexByPosition.put(event.streamVersion(), out.size());
                        out.add(new HistoryEntry(event.streamVersion(), message(payload, chunks), event.recordedAt(),
                                null));
                        chunks = null;
                    }
                    case EVICTED -> {
                        Integer index = indexByPosition.get(payload.path("message").asLong());
                        if (index != null) {
                            HistoryEntry e = out.get(index);
                            out.set(index, new HistoryEntry(e.position(), e.message(), e.addedAt(),
                                    event.recordedAt()));
                        }
                    }
                    default -> { }
                }
            }
        }
        return out;
    }

    @Override
    public boolean delete(String conversationId) {
        String stream = streamId(conversationId);
        cache.remove(stream);
        return events.deleteStream(stream) > 0;
    }

    @Override
    public List<ConversationSummary> list() {
        Map<String, long[]> counts = new HashMap<>(); // stream -> {messages, visible}
        Map<String, Instant[]> times = new HashMap<>(); // stream -> {first, last}
        Map<String, String> names = new HashMap<>();
        try (Stream<RecordedEvent> read = events.read(EventQuery.all().types(ADDED, EVICTED, ORDERED, CHUNK))) {
            read.filter(e -> StreamId.kind(e.streamId()).equals(KIND)).forEach(e -> {
                long[] c = counts.computeIfAbsent(e.streamId(), s -> new long[2]);
                Instant[] t = times.computeIfAbsent(e.streamId(), s -> new Instant[] {e.recordedAt(), e.recordedAt()});
                t[1] = e.recordedAt();
                if (e.streamVersion() == 0) {
                    JsonNode name = e.payloadTree().get("conversation");
                    if (name != null) {
                        names.put(e.streamId(), name.asText());
                    }
                }
                if (e.type().equals(ADDED)) {
                    c[0]++;
                    c[1]++;
                } else if (e.type().equals(EVICTED)) {
                    c[1]--;
                }
            });
        }
        List<ConversationSummary> out = new ArrayList<>();
        counts.forEach((stream, c) -> {
            String id = names.containsKey(stream) ? names.get(stream) : ConversationIds.decode(StreamId.id(stream));
            Instant[] t = times.get(stream);
            out.add(new ConversationSummary(id, stream, c[0], c[1], t[0], t[1]));
        });
        out.sort(Comparator.comparing(ConversationSummary::lastActivityAt).reversed()
                .thenComparing(ConversationSummary::streamId));
        return out;
    }

    @Override
    public Optional<String> conversationIdOf(String streamId) {
        if (streamId == null || !streamId.startsWith(KIND + ":") || events.streamVersion(streamId) < 0) {
            return Optional.empty();
        }
        try (Stream<RecordedEvent> first = events.readStream(streamId, 0).limit(1)) {
            Optional<String> named = first.map(e -> e.payloadTree().get("conversation"))
                    .filter(n -> n != null && n.isTextual()).map(JsonNode::asText).findFirst();
            return named.isPresent() ? named : Optional.ofNullable(ConversationIds.decode(StreamId.id(streamId)));
        }
    }

    @Override
    public List<String> pruneIdle(Duration idleFor) {
        if (idleFor == null || idleFor.isNegative()) {
            throw new InvalidInputException("the idle time of conversations to prune is 0 or more, was " + idleFor);
        }
        Instant cutoff = clock.instant().minus(idleFor);
        List<String> pruned = new ArrayList<>();
        for (ConversationSummary summary : list()) {
            if (!summary.lastActivityAt().isAfter(cutoff)) {
                // Checked again on the stream itself: a message that arrived since the listing keeps it.
                Instant last;
                try (Stream<RecordedEvent> tail = events.readStream(summary.streamId(),
                        Math.max(0, events.streamVersion(summary.streamId())))) {
                    last = tail.map(RecordedEvent::recordedAt).reduce((a, b) -> b).orElse(null);
                }
                if (last != null && !last.isAfter(cutoff)) {
                    cache.remove(summary.streamId());
                    events.deleteStream(summary.streamId());
                    pruned.add(summary.conversationId());
                }
            }
        }
        return pruned;
    }

    private static String requireId(String conversationId) {
        if (conversationId == null) {
            throw new InvalidInputException("a conversation id is null; pass the id the framework gave the "
                    + "conversation (any text, the empty one included)");
        }
        return conversationId;
    }
}
