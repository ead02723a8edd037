package dev.cairn.adk;

import static dev.cairn.adk.DifferentialTest.T0;
import static dev.cairn.adk.DifferentialTest.event;
import static dev.cairn.adk.DifferentialTest.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.adk.events.Event;
import com.google.adk.events.EventActions;
import com.google.adk.sessions.GetSessionConfig;
import com.google.adk.sessions.ListEventsResponse;
import com.google.adk.sessions.Session;
import com.google.adk.sessions.State;
import com.google.genai.types.Content;
import com.google.genai.types.Part;
import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.events.RecordedEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the session service does beyond the differential script, on SQLite here and on PostgreSQL in the subclass:
 * ids, conflicts, stale copies, filtered copies, the four places where ADK's in-memory service departs from
 * {@code BaseSessionService}'s contract, large events, pages, and writers in parallel.
 */
class CairnSessionServiceTest {
    @TempDir
    Path dir;

    Cairn db;
    CairnSessionService service;

    String location() {
        return dir.resolve("adk.db").toString();
    }

    @BeforeEach
    void open() {
        db = Cairn.open(location());
        service = new CairnSessionService(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    Session create(String app, String user, String id, Map<String, Object> state) {
        return service.createSession(app, user, state, id).blockingGet();
    }

    Session get(String app, String user, String id) {
        return service.getSession(app, user, id, Optional.empty()).blockingGet();
    }

    List<RecordedEvent> records(String stream) {
        try (Stream<RecordedEvent> records = db.events().readStream(stream, 0)) {
            return records.toList();
        }
    }

    @Test
    void anIdInUseIsAConflictAndNothingIsWritten() {
        create("shop", "alice", "s1", map("topic", "shoes"));
        String stream = service.streamId("shop", "alice", "s1");
        Throwable conflict = catchThrowable(() -> create("shop", "alice", " s1 ", map("topic", "hats",
                "user:lang", "en", "app:theme", "dark")));
        assertThat(conflict).isInstanceOf(SessionExistsException.class)
                .hasMessageContaining("session 's1' of user 'alice' in app 'shop' already exists")
                .hasMessageContaining("nothing was written");
        assertThat(records(stream)).hasSize(1);
        Session stored = get("shop", "alice", "s1");
        assertThat(stored.state()).containsExactlyInAnyOrderEntriesOf(Map.of("topic", "shoes"));
        assertThat(service.listSessions("shop", "alice").blockingGet().sessionIds()).containsExactly("s1");
    }

    @Test
    void anyTextIsAnAppUserOrSessionIdAndNoTwoShareAStream() {
        String longId = "x".repeat(150) + "ü".repeat(100);
        List<List<String>> keys = List.of(List.of("shop", "alice", "s1"), List.of("shop", "alice", "s_1"),
                List.of("a:b", "c", "d"), List.of("a", "b:c", "d"), List.of("", "", "x"), List.of("shop", "alice", "ü 😀/?"),
                List.of("shop", "alice", longId), List.of("shop", "alice", longId + "y"),
                List.of("shop", "alice", "__h"), List.of("shop", "alice", "_h"));
        Set<String> streams = new HashSet<>();
        for (List<String> key : keys) {
            Session made = create(key.get(0), key.get(1), key.get(2), map("key", String.join("|", key)));
            assertThat(made.id()).isEqualTo(key.get(2));
            streams.add(service.streamId(key.get(0), key.get(1), key.get(2)));
        }
        assertThat(streams).hasSize(keys.size());
        for (List<String> key : keys) {
            Session stored = get(key.get(0), key.get(1), key.get(2));
            assertThat(stored.state().get("key")).isEqualTo(String.join("|", key));
            assertThat(stored.appName()).isEqualTo(key.get(0));
            assertThat(stored.id()).isEqualTo(key.get(2));
        }
        assertThat(service.listSessions("shop", "alice").blockingGet().sessionIds()).containsExactly("s1", "s_1",
                "ü 😀/?", longId, longId + "y", "__h", "_h");
        Session generated = create("shop", "alice", "  ", null);
        assertThat(generated.id()).hasSize(36);
    }

    @Test
    void aStaleCopyIsRefusedWithBothVersionsAndLeftAsItWas() {
        create("shop", "alice", "s1", null);
        Session a = get("shop", "alice", "s1");
        Session b = get("shop", "alice", "s1");
        service.appendEvent(a, event("e1", T0, "user", "from a", map("writer", "a"))).blockingGet();
        Throwable stale = catchThrowable(() -> service.appendEvent(b, event("e2", T0 + 1, "user", "from b",
                map("writer", "b", "app:x", 1))).blockingGet());
        assertThat(stale).isInstanceOf(StaleSessionException.class)
                .hasMessageContaining("has seen its stream up to version 0")
                .hasMessageContaining("is at version 1: another writer appended since");
        assertThat(b.events()).isEmpty();
        assertThat(b.state()).doesNotContainKey("writer");
        assertThat(get("shop", "alice", "s1").state()).containsExactlyInAnyOrderEntriesOf(Map.of("writer", "a"));
        assertThat(records(AdkStreams.app("shop"))).as("the app's state of the refused event was not written either")
                .isEmpty();
        Session fresh = get("shop", "alice", "s1");
        service.appendEvent(fresh, event("e2", T0 + 1, "user", "from b", map("writer", "b"))).blockingGet();
        assertThat(get("shop", "alice", "s1").events()).extracting(Event::id).containsExactly("e1", "e2");
    }

    @Test
    void aCopyOfADeletedSessionOrOfOneCreatedAgainIsStale() {
        Session first = create("shop", "alice", "s1", null);
        Session other = create("shop", "alice", "s2", null);
        service.deleteSession("shop", "alice", "s2").blockingAwait();
        assertThat(catchThrowable(() -> service.appendEvent(other, event("e1", T0, "user", "hi", null)).blockingGet()))
                .isInstanceOf(StaleSessionException.class).hasMessageContaining("has been deleted since");
        assertThat(get("shop", "alice", "s2")).isNull();

        service.deleteSession("shop", "alice", "s1").blockingAwait();
        create("shop", "alice", "s1", map("second", true));
        // Same id, same version 0: only the id of the record at that version tells the two sessions apart.
        Throwable stale = catchThrowable(() -> service.appendEvent(first, event("e1", T0, "user", "hi", null))
                .blockingGet());
        assertThat(stale).isInstanceOf(StaleSessionException.class)
                .hasMessageContaining("deleted and created again");
        assertThat(get("shop", "alice", "s1").events()).isEmpty();
    }

    @Test
    void aCopyReadWithAFilterAppendsAtTheStreamsVersionAndKeepsEveryEvent() {
        // ADK's in-memory service stores the filtered copy itself, so the events it left out are lost there.
        Session session = create("shop", "alice", "s1", null);
        for (int i = 0; i < 5; i++) {
            service.appendEvent(session, event("e" + i, T0 + i, "user", "m" + i, null)).blockingGet();
        }
        Session recent = service.getSession("shop", "alice", "s1",
                Optional.of(GetSessionConfig.builder().numRecentEvents(1).build())).blockingGet();
        service.appendEvent(recent, event("e5", T0 + 5, "user", "m5", null)).blockingGet();
        Session none = service.getSession("shop", "alice", "s1", Optional.of(GetSessionConfig.builder()
                .afterTimestamp(Instant.ofEpochMilli(T0 + 1_000)).build())).blockingGet();
        assertThat(none.events()).isEmpty();
        service.appendEvent(none, event("e6", T0 + 6, "user", "m6", null)).blockingGet();
        assertThat(recent.events()).extracting(Event::id).containsExactly("e4", "e5");
        assertThat(get("shop", "alice", "s1").events()).extracting(Event::id)
                .containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6");
        assertThat(catchThrowable(() -> service.appendEvent(recent, event("e7", T0 + 7, "user", "m7", null))
                .blockingGet())).isInstanceOf(StaleSessionException.class);
    }

    @Test
    void tempKeysAreNeverStored() {
        Session session = create("shop", "alice", "s1", map("temp:draft", "secret-initial", "kept", "visible-1"));
        Event withTemp = event("e1", T0, "user", "hi", map("temp:scratch", "secret-delta", "also", "visible-2"));
        service.appendEvent(session, withTemp).blockingGet();
        assertThat(withTemp.actions().stateDelta()).as("the caller's event is left as given")
                .containsKey("temp:scratch");
        Session stored = get("shop", "alice", "s1");
        assertThat(stored.state()).containsExactlyInAnyOrderEntriesOf(Map.of("kept", "visible-1", "also", "visible-2"));
        assertThat(stored.events().get(0).actions().stateDelta()).isEqualTo(Map.of("also", "visible-2"));
        List<String> payloads = new ArrayList<>();
        try (Stream<RecordedEvent> all = db.events().replayAll()) {
            all.forEach(e -> payloads.add(e.payload()));
        }
        assertThat(String.join("\n", payloads)).as("positive control: the scan sees what is stored")
                .contains("visible-1", "visible-2").doesNotContain("secret-initial", "secret-delta", "temp:");
    }

    @Test
    void aPartialEventIsNeitherStoredNorApplied() {
        // ADK's in-memory service applies a partial event's state delta and takes its time as the last update.
        Session session = create("shop", "alice", "s1", map("topic", "shoes"));
        service.appendEvent(session, event("e1", T0, "user", "hi", null)).blockingGet();
        Event partial = Event.builder().id("p1").author("model").timestamp(T0 + 5_000).partial(true)
                .content(Content.fromParts(Part.fromText("Let")))
                .actions(EventActions.builder().stateDelta(new ConcurrentHashMap<>(map("topic", "hats",
                        "app:theme", "dark", "user:lang", "en"))).build()).build();
        assertThat(service.appendEvent(session, partial).blockingGet()).isSameAs(partial);
        assertThat(session.events()).extracting(Event::id).containsExactly("e1");
        assertThat(session.state()).containsExactlyInAnyOrderEntriesOf(Map.of("topic", "shoes"));
        Session stored = get("shop", "alice", "s1");
        assertThat(stored.state()).containsExactlyInAnyOrderEntriesOf(Map.of("topic", "shoes"));
        assertThat(stored.events()).extracting(Event::id).containsExactly("e1");
        assertThat(stored.lastUpdateTime()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(db.events().streamVersion(service.streamId("shop", "alice", "s1"))).isEqualTo(1);
    }

    @Test
    void aSharedKeyRemovedByOneSessionIsGoneFromEveryOther() {
        // ADK's in-memory service keeps showing the removed key in a session that showed it before.
        Session s1 = create("shop", "alice", "s1", null);
        Session s2 = create("shop", "alice", "s2", null);
        Session bob = create("shop", "bob", "b1", null);
        service.appendEvent(s1, event("e1", T0, "user", "set", map("app:theme", "dark", "user:lang", "en")))
                .blockingGet();
        assertThat(get("shop", "bob", "b1").state()).containsExactlyInAnyOrderEntriesOf(Map.of("app:theme", "dark"));
        service.appendEvent(get("shop", "alice", "s2"), event("e2", T0 + 1, "user", "unset",
                map("app:theme", State.REMOVED, "user:lang", State.REMOVED))).blockingGet();
        assertThat(get("shop", "alice", "s1").state()).isEmpty();
        assertThat(get("shop", "bob", "b1").state()).isEmpty();
        service.appendEvent(s1, event("e3", T0 + 2, "user", "again", map("mine", 1))).blockingGet();
        assertThat(s1.state()).as("the held object shows the shared state as it is now").containsExactlyInAnyOrderEntriesOf(Map.of("mine", 1));
        assertThat(s2.state()).isEmpty();
        assertThat(bob.state()).isEmpty();
    }

    @Test
    void initialStateGoesToItsScopes() {
        create("shop", "alice", "s1", map("app:theme", "dark", "user:lang", "en", "temp:x", 1, "own", 2));
        assertThat(get("shop", "alice", "s1").state()).containsExactlyInAnyOrderEntriesOf(Map.of("app:theme", "dark", "user:lang", "en",
                "own", 2));
        assertThat(create("shop", "alice", "s2", null).state()).containsExactlyInAnyOrderEntriesOf(Map.of("app:theme", "dark",
                "user:lang", "en"));
        assertThat(create("shop", "bob", "s1", null).state()).containsExactlyInAnyOrderEntriesOf(Map.of("app:theme", "dark"));
        assertThat(create("other", "alice", "s1", null).state()).isEmpty();
    }

    @Test
    void anEventOverThePayloadLimitIsStoredInChunksAndReadBackWhole() {
        byte[] pdf = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(pdf);
        Session session = create("shop", "alice", "s1", null);
        Event large = Event.builder().id("big").author("user").timestamp(T0).content(Content.builder().role("user")
                .parts(Part.fromText("see attached"), Part.fromBytes(pdf, "application/pdf")).build())
                .actions(EventActions.builder().stateDelta(new ConcurrentHashMap<>(map("file", "report.pdf")))
                        .build()).build();
        service.appendEvent(session, large).blockingGet();
        service.appendEvent(session, event("after", T0 + 1, "user", "small", null)).blockingGet();
        List<RecordedEvent> records = records(service.streamId("shop", "alice", "s1"));
        // 3 MiB of base64 is 4 Mi characters: with the rest of the JSON, 33 chunks of 128 Ki, then the closing record.
        int chunks = (int) Math.ceil(large.toJson().length() / 131_072.0);
        assertThat(chunks).isEqualTo(33);
        assertThat(records).extracting(RecordedEvent::type).filteredOn("adk.event-chunk"::equals).hasSize(chunks);
        assertThat(records).hasSize(1 + chunks + 1 + 1);
        try (Cairn reopened = Cairn.open(location())) {
            Session stored = new CairnSessionService(reopened).getSession("shop", "alice", "s1", Optional.empty())
                    .blockingGet();
            // Optional<byte[]> compares by identity, so an event with inline data equals no copy of itself: compare JSON.
            assertThat(stored.events()).extracting(Event::toJson).containsExactly(large.toJson(),
                    session.events().get(1).toJson());
            assertThat(stored.events().get(0).content().get().parts().get().get(1).inlineData().get().data().get())
                    .isEqualTo(pdf);
            assertThat(stored.state()).containsExactlyInAnyOrderEntriesOf(Map.of("file", "report.pdf"));
            Session last = new CairnSessionService(reopened).getSession("shop", "alice", "s1",
                    Optional.of(GetSessionConfig.builder().numRecentEvents(1).build())).blockingGet();
            assertThat(last.events()).extracting(Event::id).containsExactly("after");
        }
    }

    @Test
    void eventsComeInPagesThatAddUpToTheWholeSession() {
        Session session = create("shop", "alice", "s1", null);
        List<Event> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            all.add(service.appendEvent(session, event("e" + i, T0 + i, "user", "m" + i, null)).blockingGet());
        }
        List<Event> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            ListEventsResponse page = service.listEvents("shop", "alice", "s1", 10, token).blockingGet();
            paged.addAll(page.events());
            token = page.nextPageToken().orElse(null);
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(paged).isEqualTo(all);
        assertThat(service.listEvents("shop", "alice", "s1").blockingGet().events()).isEqualTo(all);
        assertThat(catchThrowable(() -> service.listEvents("shop", "alice", "s1", 10, "nonsense").blockingGet()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("page token 'nonsense'");
        assertThat(catchThrowable(() -> service.listEvents("shop", "alice", "s1", 0, null).blockingGet()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("page size");
        assertThat(catchThrowable(() -> service.getSession("shop", "alice", "s1",
                Optional.of(GetSessionConfig.builder().numRecentEvents(-1).build())).blockingGet()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("numRecentEvents");
    }

    @Test
    void aCopyFromElsewhereHasSeenItsLastEvent() {
        Session session = create("shop", "alice", "s1", null);
        service.appendEvent(session, event("e1", T0, "user", "one", null)).blockingGet();
        Session copy = Session.fromJson(session.toJson());
        service.closeSession(session).blockingAwait();
        service.appendEvent(copy, event("e2", T0 + 1, "user", "two", null)).blockingGet();
        assertThat(catchThrowable(() -> service.appendEvent(session, event("e3", T0 + 2, "user", "three", null))
                .blockingGet())).as("closed, the original counts as a copy that has seen e1 only")
                .isInstanceOf(StaleSessionException.class);
        Session foreign = Session.builder("s1").appName("shop").userId("alice")
                .events(List.of(event("zz", T0, "user", "never stored", null))).build();
        assertThat(catchThrowable(() -> service.appendEvent(foreign, event("e3", T0 + 2, "user", "three", null))
                .blockingGet())).isInstanceOf(StaleSessionException.class)
                .hasMessageContaining("its last event 'zz' is not in stream");
        assertThat(get("shop", "alice", "s1").events()).extracting(Event::id).containsExactly("e1", "e2");
    }

    @Test
    void copiesAppendingInParallelNeverMergeAndLoseNothing() throws Exception {
        create("shop", "alice", "s1", null);
        int rounds = 20;
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<int[]>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    int won = 0;
                    int refused = 0;
                    for (int round = 0; round < rounds; round++) {
                        barrier.await(30, TimeUnit.SECONDS);
                        Session copy = get("shop", "alice", "s1");
                        barrier.await(30, TimeUnit.SECONDS); // both copies read before either appends
                        Event mine = event("w" + writer + "-" + round, T0 + round, "user", "x", map("by", writer));
                        while (true) {
                            try {
                                service.appendEvent(copy, mine).blockingGet();
                                won++;
                                break;
                            } catch (StaleSessionException e) {
                                refused++;
                                copy = get("shop", "alice", "s1");
                            }
                        }
                    }
                    return new int[] {won, refused};
                }));
            }
            int refused = 0;
            for (Future<int[]> writer : writers) {
                int[] counts = writer.get(120, TimeUnit.SECONDS);
                assertThat(counts[0]).isEqualTo(rounds);
                refused += counts[1];
            }
            assertThat(refused).as("every round, one of the two copies was stale").isEqualTo(rounds);
        } finally {
            pool.shutdownNow();
        }
        List<String> ids = get("shop", "alice", "s1").events().stream().map(Event::id).toList();
        assertThat(ids).hasSize(2 * rounds).doesNotHaveDuplicates();
    }
}
