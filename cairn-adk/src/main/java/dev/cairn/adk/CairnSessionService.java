package dev.cairn.adk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.adk.events.Event;
import com.google.adk.sessions.BaseSessionService;
import com.google.adk.sessions.GetSessionConfig;
import com.google.adk.sessions.ListEventsResponse;
import com.google.adk.sessions.ListSessionsResponse;
import com.google.adk.sessions.Session;
import com.google.adk.sessions.State;
import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.WrongExpectedVersionException;
import dev.cairn.adk.AdkRecords.EventRef;
import dev.cairn.adk.AdkRecords.ScopeFold;
import dev.cairn.adk.AdkRecords.SessionFold;
import dev.cairn.events.EventData;
import dev.cairn.events.EventLog;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.RecordedEvent;
import dev.cairn.events.StreamAppend;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Single;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * ADK's {@link BaseSessionService} on a Cairn store: each session is one event stream holding ADK's own JSON of each
 * event, and the state an app or a user shares is a stream of its own, so sessions survive restarts and any number of
 * processes can share them. Plug it into ADK's {@code Runner} in place of {@code InMemorySessionService}.
 *
 * <p>Every session object this service hands out remembers the stream version it has seen (its last event's, whatever
 * filter it was read with); {@link #appendEvent} appends at exactly that version, so a copy that another writer has
 * moved past is refused with a {@link StaleSessionException} naming both versions, never merged. A copy the service did
 * not hand out has seen the stream up to its last event.
 *
 * <p>State follows ADK's prefixes: {@code app:} keys are shared by every session of the app, {@code user:} keys by
 * every session of the user (both outlive the sessions), {@code temp:} keys are never stored, and other keys belong to
 * the session. Values are stored as JSON and read back as ADK's mapper reads JSON (maps, lists, strings, numbers,
 * booleans). The service does not own the store: close the {@link Cairn} when the application ends.
 */
public final class CairnSessionService implements BaseSessionService {
    /** The most events one page of {@link #listEvents(String, String, String, int, String)} returns. */
    public static final int MAX_PAGE_SIZE = 10_000;

    private final Cairn db;
    private final StreamCache<SessionFold> sessions = new StreamCache<>(SessionFold::fold);
    private final StreamCache<ScopeFold> scopes = new StreamCache<>(ScopeFold::fold);
    /** What each session object handed out has seen; by identity (Session keeps Object's equals), weakly. */
    private final Map<Session, Seen> seen = Collections.synchronizedMap(new WeakHashMap<>());

    /** The version of the last record a session object has seen, and that record's id (null: not known). */
    private record Seen(long version, UUID eventId) {}

    public CairnSessionService(Cairn db) {
        if (db == null) {
            throw new InvalidInputException("the Cairn store of the session service is null; open one with "
                    + "Cairn.open(...)");
        }
        this.db = db;
    }

    /** The stream that holds a session, for reading it with Cairn's own tools ({@code cairn events --stream}). */
    public String streamId(String appName, String userId, String sessionId) {
        return AdkStreams.session(require(appName, "app name"), require(userId, "user id"),
                require(sessionId, "session id"));
    }

    @Override
    @Deprecated
    public Single<Session> createSession(String appName, String userId, ConcurrentMap<String, Object> state,
            String sessionId) {
        return createSession(appName, userId, (Map<String, Object>) state, sessionId);
    }

    /**
     * Creates a session: with the given id (trimmed), or a new random one when it is null or blank. The initial
     * state's {@code app:} and {@code user:} keys go to the state the app and the user share, {@code temp:} keys are
     * dropped. Fails with {@link SessionExistsException} when the app's user already has a session of that id.
     */
    @Override
    public Single<Session> createSession(String appName, String userId, Map<String, Object> state,
            String sessionId) {
        return single(() -> create(appName, userId, state, sessionId));
    }

    private Session create(String appName, String userId, Map<String, Object> state, String sessionId) {
        require(appName, "app name");
        require(userId, "user id");
        String id = sessionId == null || sessionId.isBlank() ? UUID.randomUUID().toString() : sessionId.trim();
        String what = describe(appName, userId, id);
        Map<String, Object> own = new LinkedHashMap<>();
        Map<String, Object> app = new LinkedHashMap<>();
        Map<String, Object> user = new LinkedHashMap<>();
        if (state != null) {
            state.forEach((key, value) -> split(key, value, own, app, user));
        }
        own.values().removeIf(value -> value == State.REMOVED || value == null);
        ObjectNode created = JsonNodeFactory.instance.objectNode().put("app", appName).put("user", userId)
                .put("session", id);
        created.set("state", AdkRecords.delta(own, what));
        String stream = AdkStreams.session(appName, userId, id);
        // Streams in the order every write here takes them (session, app, user), so that two writers that share an
        // app and a user never hold one each while waiting for the other.
        List<StreamAppend> appends = new ArrayList<>();
        appends.add(StreamAppend.of(stream, ExpectedVersion.noStream(), EventData.of(AdkRecords.CREATED, created)));
        if (!app.isEmpty()) {
            appends.add(StreamAppend.of(AdkStreams.app(appName), ExpectedVersion.any(), appState(appName, app, what)));
        }
        List<EventData> userRecords = new ArrayList<>();
        userRecords.add(EventData.of(AdkRecords.LISTED, JsonNodeFactory.instance.objectNode().put("session", id)));
        if (!user.isEmpty()) {
            userRecords.add(userState(appName, userId, user, what));
        }
        appends.add(new StreamAppend(AdkStreams.user(appName, userId), ExpectedVersion.any(), userRecords));
        List<RecordedEvent> written;
        try {
            written = db.events().appendAll(appends);
        } catch (WrongExpectedVersionException e) {
            if (!e.streamId().equals(stream)) {
                throw e;
            }
            throw new SessionExistsException(what + " already exists (stream " + stream + " is at version "
                    + e.actual() + "); nothing was written. Get it with getSession, or create the session with "
                    + "another id (or none, to have one made)", e);
        }
        // Handed out as created, whatever another writer may have appended since.
        return handOut(SessionFold.fold(null, written.subList(0, 1).iterator()), List.of(), db.events());
    }

    /** Sorts one key of an initial state or a delta into the session's own, the app's or the user's. */
    private static void split(String key, Object value, Map<String, Object> own, Map<String, Object> app,
            Map<String, Object> user) {
        if (key == null) {
            throw new InvalidInputException("a state key is null; state keys are text, such as 'topic' or 'user:name'");
        }
        if (key.startsWith(State.APP_PREFIX)) {
            app.put(key.substring(State.APP_PREFIX.length()), value);
        } else if (key.startsWith(State.USER_PREFIX)) {
            user.put(key.substring(State.USER_PREFIX.length()), value);
        } else if (!key.startsWith(State.TEMP_PREFIX)) {
            own.put(key, value);
        }
    }

    private static EventData appState(String appName, Map<String, Object> delta, String what) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("app", appName);
        payload.set("delta", AdkRecords.delta(delta, what));
        return EventData.of(AdkRecords.APP_STATE, payload);
    }

    private static EventData userState(String appName, String userId, Map<String, Object> delta, String what) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("app", appName).put("user", userId);
        payload.set("delta", AdkRecords.delta(delta, what));
        return EventData.of(AdkRecords.USER_STATE, payload);
    }

    /**
     * A session with its state (its own, the app's and the user's) and its events: the last {@code numRecentEvents},
     * then of those the ones at or after {@code afterTimestamp}; empty when there is no such session.
     */
    @Override
    public Maybe<Session> getSession(String appName, String userId, String sessionId,
            Optional<GetSessionConfig> config) {
        return maybe(() -> {
            String stream = streamId(appName, userId, sessionId);
            GetSessionConfig filter = config == null ? null : config.orElse(null);
            Integer recent = filter == null ? null : filter.numRecentEvents().orElse(null);
            Instant after = filter == null ? null : filter.afterTimestamp().orElse(null);
            if (recent != null && recent < 0) {
                throw new InvalidInputException("numRecentEvents of a getSession of " + describe(appName, userId,
                        sessionId) + " is " + recent + "; ask for 0 or more of the most recent events");
            }
            return db.read(tx -> {
                SessionFold fold = sessions.current(tx.events(), stream);
                if (fold == null) {
                    return null;
                }
                List<EventRef> refs = fold.events();
                if (recent != null && recent < refs.size()) {
                    refs = refs.subList(refs.size() - recent, refs.size());
                }
                if (after != null) {
                    refs = refs.stream().filter(r -> !Instant.ofEpochMilli(r.timestamp()).isBefore(after)).toList();
                }
                return handOut(fold, read(tx.events(), stream, refs, fold.version()), tx.events());
            });
        });
    }

    /** The app's user's sessions, oldest first, each with its state and without its events. */
    @Override
    public Single<ListSessionsResponse> listSessions(String appName, String userId) {
        return single(() -> {
            String userStream = AdkStreams.user(require(appName, "app name"), require(userId, "user id"));
            List<Session> out = db.read(tx -> {
                ScopeFold user = scopes.current(tx.events(), userStream);
                List<Session> listed = new ArrayList<>();
                if (user == null) {
                    return listed;
                }
                ScopeFold app = scopes.current(tx.events(), AdkStreams.app(appName));
                for (String id : user.sessions()) {
                    SessionFold fold = sessions.current(tx.events(), AdkStreams.session(appName, userId, id));
                    if (fold != null) {
                        listed.add(handOut(fold, List.of(), app, user));
                    }
                }
                return listed;
            });
            return ListSessionsResponse.builder().sessions(out).build();
        });
    }

    /** Deletes a session's stream, its events with it; the app's and the user's state stay. No session: no change. */
    @Override
    public Completable deleteSession(String appName, String userId, String sessionId) {
        return completable(() -> {
            String stream = streamId(appName, userId, sessionId);
            db.useTransaction(tx -> {
                if (tx.events().deleteStream(stream) > 0) {
                    tx.events().append(AdkStreams.user(appName, userId), ExpectedVersion.any(), EventData.of(
                            AdkRecords.UNLISTED, JsonNodeFactory.instance.objectNode().put("session", sessionId)));
                }
            });
            sessions.forget(stream);
        });
    }

    /** Every event of a session, in order, in one response; empty for an unknown session. Pages: the overload. */
    @Override
    public Single<ListEventsResponse> listEvents(String appName, String userId, String sessionId) {
        return listEvents(appName, userId, sessionId, Integer.MAX_VALUE, null);
    }

    /**
     * One page of a session's events, in order: at most {@code pageSize} (1 to {@link #MAX_PAGE_SIZE}, or
     * {@code Integer.MAX_VALUE} for all), from the page token a previous page returned (null: from the first). The
     * response's next page token is empty on the last page; empty for an unknown session.
     */
    public Single<ListEventsResponse> listEvents(String appName, String userId, String sessionId, int pageSize,
            String pageToken) {
        return single(() -> {
            String stream = streamId(appName, userId, sessionId);
            if (pageSize < 1 || pageSize > MAX_PAGE_SIZE && pageSize != Integer.MAX_VALUE) {
                throw new InvalidInputException("the page size of events of " + describe(appName, userId, sessionId)
                        + " is " + pageSize + "; ask for 1 to " + MAX_PAGE_SIZE + " events a page");
            }
            return db.read(tx -> {
                SessionFold fold = sessions.current(tx.events(), stream);
                ListEventsResponse.Builder response = ListEventsResponse.builder();
                if (fold == null) {
                    return response.build();
                }
                List<EventRef> refs = fold.events();
                int from = pageToken == null ? 0 : pageStart(refs, pageToken, appName, userId, sessionId);
                int to = (int) Math.min(refs.size(), (long) from + pageSize);
                response.events(read(tx.events(), stream, refs.subList(from, to), fold.version()));
                if (to < refs.size()) {
                    response.nextPageToken(Long.toString(refs.get(to).start()));
                }
                return response.build();
            });
        });
    }

    private static int pageStart(List<EventRef> refs, String token, String appName, String userId,
            String sessionId) {
        try {
            long start = Long.parseLong(token);
            for (int i = 0; i < refs.size(); i++) {
                if (refs.get(i).start() == start) {
                    return i;
                }
            }
        } catch (NumberFormatException e) {
            // not a token of this service: refused below
        }
        throw new InvalidInputException("page token '" + token + "' is not where an event of "
                + describe(appName, userId, sessionId) + " starts (the session may have been deleted since); list "
                + "its events again without a token");
    }

    /**
     * Stores an event in its session, at the version the session object has seen, and then applies it to that object
     * as ADK does: its state delta (without {@code temp:} keys), its place at the end of the events, and its time as
     * the last update. The state the app and the user share is then refreshed in the object. A partial event is
     * returned as it is, neither stored nor applied. Fails with {@link StaleSessionException} when the stored session
     * has moved past the object, or was deleted; nothing is written then and the object is left as it was.
     */
    @Override
    public Single<Event> appendEvent(Session session, Event event) {
        // Eager, as ADK's own services are: callers may ignore the returned Single (@CanIgnoreReturnValue).
        return single(() -> append(session, event));
    }

    private Event append(Session session, Event event) {
        if (session == null || event == null) {
            throw new InvalidInputException("appendEvent was given a null " + (session == null ? "session" : "event")
                    + "; pass the session from createSession or getSession and the event to store");
        }
        if (event.partial().orElse(false)) {
            return event;
        }
        String app = require(session.appName(), "session's app name");
        String user = require(session.userId(), "session's user id");
        String stream = streamId(app, user, session.id());
        String what = describe(app, user, session.id());
        synchronized (session) {
            Seen from = seen(session, stream, what);
            List<EventData> records = AdkRecords.event(event);
            Map<String, Object> appDelta = new LinkedHashMap<>();
            Map<String, Object> userDelta = new LinkedHashMap<>();
            if (event.actions() != null && event.actions().stateDelta() != null) {
                event.actions().stateDelta().forEach((key, value) -> split(key, value, new LinkedHashMap<>(),
                        appDelta, userDelta));
            }
            List<StreamAppend> appends = new ArrayList<>();
            appends.add(new StreamAppend(stream, ExpectedVersion.exact(from.version), records));
            if (!appDelta.isEmpty()) {
                appends.add(StreamAppend.of(AdkStreams.app(app), ExpectedVersion.any(), appState(app, appDelta, what)));
            }
            if (!userDelta.isEmpty()) {
                appends.add(StreamAppend.of(AdkStreams.user(app, user), ExpectedVersion.any(),
                        userState(app, user, userDelta, what)));
            }
            List<RecordedEvent> written;
            try {
                written = db.inTransaction(tx -> {
                    if (from.eventId != null) {
                        // The version alone does not tell a session deleted and created again from the one seen.
                        UUID at;
                        try (Stream<RecordedEvent> record = tx.events().readStream(stream, from.version)) {
                            at = record.findFirst().map(RecordedEvent::eventId).orElse(null);
                        }
                        if (!from.eventId.equals(at)) {
                            throw stale(what, stream, from.version, tx.events().streamVersion(stream), true, null);
                        }
                    }
                    return tx.events().appendAll(appends);
                });
            } catch (WrongExpectedVersionException e) {
                if (!e.streamId().equals(stream)) {
                    throw e;
                }
                throw stale(what, stream, from.version, e.actual(), false, e);
            }
            List<RecordedEvent> own = written.subList(0, records.size());
            RecordedEvent last = own.get(own.size() - 1);
            sessions.appended(stream, from.version, own);
            seen.put(session, new Seen(last.streamVersion(), last.eventId()));
            BaseSessionService.super.appendEvent(session, event);
            session.lastUpdateTime(Instant.ofEpochMilli(event.timestamp()));
            EventLog log = db.events();
            share(session.state(), scopes.current(log, AdkStreams.app(app)), scopes.current(log,
                    AdkStreams.user(app, user)));
            return event;
        }
    }

    /** What a session object has seen: as handed out, or, for another copy, up to its last event. */
    private Seen seen(Session session, String stream, String what) {
        Seen known = seen.get(session);
        if (known != null) {
            return known;
        }
        SessionFold fold = sessions.current(db.events(), stream);
        if (fold == null) {
            throw stale(what, stream, -1, -1, false, null);
        }
        List<Event> events = session.events();
        if (events == null || events.isEmpty()) {
            return new Seen(0, null); // a copy without events has seen the session's creation
        }
        String lastId = events.get(events.size() - 1).id();
        for (int i = fold.events().size() - 1; i >= 0; i--) {
            EventRef ref = fold.events().get(i);
            if (lastId != null && lastId.equals(ref.id())) {
                return new Seen(ref.version(), null);
            }
        }
        throw new StaleSessionException(what + " was not read from this store: its last event '" + lastId + "' is "
                + "not in stream " + stream + " (at version " + fold.version() + "); nothing was written. Read the "
                + "session with getSession and append to that copy", -1, fold.version(), null);
    }

    private static StaleSessionException stale(String what, String stream, long seenVersion, long storedVersion,
            boolean recreated, Throwable cause) {
        String now = storedVersion < 0 ? "the session has been deleted since"
                : recreated ? "the session has been deleted and created again since (stream " + stream + " is at version "
                        + storedVersion + ")"
                : "stream " + stream + " is at version " + storedVersion + ": another writer appended since";
        String seenText = seenVersion < 0 ? "this copy's session does not exist in this store"
                : "this copy has seen its stream up to version " + seenVersion + ", but " + now;
        return new StaleSessionException(what + " is stale: " + seenText + "; nothing was written. Read the session "
                + "again with getSession and append to the fresh copy", seenVersion, storedVersion, cause);
    }

    /** Forgets what the session object has seen; appending through it later counts it as a copy from elsewhere. */
    @Override
    public Completable closeSession(Session session) {
        if (session != null) {
            seen.remove(session);
        }
        return Completable.complete();
    }

    /** Reads the events {@code refs} point at, in order, from records up to {@code upTo}. */
    private static List<Event> read(EventLog log, String stream, List<EventRef> refs, long upTo) {
        List<Event> out = new ArrayList<>(refs.size());
        if (refs.isEmpty()) {
            return out;
        }
        Set<Long> wanted = new HashSet<>();
        refs.forEach(r -> wanted.add(r.version()));
        try (Stream<RecordedEvent> records = log.readStream(stream, refs.get(0).start())) {
            AdkRecords.events(records.iterator(), wanted::contains, upTo, out::add);
        }
        return out;
    }

    /** A session object from a fold and the given events, with the shared state, remembered as seen at the fold. */
    private Session handOut(SessionFold fold, List<Event> events, EventLog log) {
        return handOut(fold, events, scopes.current(log, AdkStreams.app(fold.app())),
                scopes.current(log, AdkStreams.user(fold.app(), fold.user())));
    }

    private Session handOut(SessionFold fold, List<Event> events, ScopeFold app, ScopeFold user) {
        ConcurrentMap<String, Object> state = new ConcurrentHashMap<>();
        fold.state().forEach((key, value) -> state.put(key, AdkRecords.value(value)));
        share(state, app, user);
        Session session = Session.builder(fold.id()).appName(fold.app()).userId(fold.user()).state(state)
                .events(events).lastUpdateTime(fold.lastUpdateTime()).build();
        seen.put(session, new Seen(fold.version(), fold.lastEventId()));
        return session;
    }

    /** Makes the {@code app:} and {@code user:} keys of {@code state} those the app and the user share now. */
    private static void share(Map<String, Object> state, ScopeFold app, ScopeFold user) {
        state.keySet().removeIf(key -> key.startsWith(State.APP_PREFIX) || key.startsWith(State.USER_PREFIX));
        for (Map.Entry<String, JsonNode> e : (app == null ? ScopeFold.EMPTY : app).state().entrySet()) {
            state.put(State.APP_PREFIX + e.getKey(), AdkRecords.value(e.getValue()));
        }
        for (Map.Entry<String, JsonNode> e : (user == null ? ScopeFold.EMPTY : user).state().entrySet()) {
            state.put(State.USER_PREFIX + e.getKey(), AdkRecords.value(e.getValue()));
        }
    }

    private static String describe(String appName, String userId, String sessionId) {
        return "session '" + sessionId + "' of user '" + userId + "' in app '" + appName + "'";
    }

    private static String require(String value, String what) {
        if (value == null) {
            throw new InvalidInputException("the " + what + " is null; ADK names every session by app name, user id "
                    + "and session id, each any text");
        }
        return value;
    }

    private static <T> Single<T> single(Supplier<T> work) {
        try {
            return Single.just(work.get());
        } catch (RuntimeException e) {
            return Single.error(e);
        }
    }

    private static <T> Maybe<T> maybe(Supplier<T> work) {
        T value;
        try {
            value = work.get();
        } catch (RuntimeException e) {
            return Maybe.error(e);
        }
        return value == null ? Maybe.empty() : Maybe.just(value);
    }

    private static Completable completable(Runnable work) {
        try {
            work.run();
            return Completable.complete();
        } catch (RuntimeException e) {
            return Completable.error(e);
        }
    }
}
