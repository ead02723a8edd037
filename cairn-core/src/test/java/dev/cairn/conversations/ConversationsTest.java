package dev.cairn.conversations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.TestClock;
import dev.cairn.events.EventData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The framework-neutral conversation store: window sync, history, ids, large content, concurrency, retention. */
class ConversationsTest {
    @TempDir
    Path dir;

    final TestClock clock = new TestClock();
    Cairn db;
    Conversations conversations;

    String location() {
        return dir.resolve("chat.db").toString();
    }

    @BeforeEach
    void open() {
        db = Cairn.builder().location(location()).clock(clock).open();
        conversations = db.conversations();
    }

    @AfterEach
    void close() {
        db.close();
    }

    static ConversationMessage user(String text) {
        return new ConversationMessage("user", "{\"text\":\"" + text + "\"}", text);
    }

    /** What a window-of-n memory does: the last n messages. */
    static List<ConversationMessage> lastN(List<ConversationMessage> all, int n) {
        return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }

    @Test
    void fiftyMessagesThroughAWindowOfTenKeepTenVisibleAndFiftyInHistory() {
        List<ConversationMessage> said = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            said.add(user("m" + i));
            ConversationWindow seen = conversations.window("c1");
            conversations.sync("c1", lastN(said, 10), seen.version());
        }
        assertThat(conversations.window("c1").messages()).isEqualTo(lastN(said, 10));
        List<HistoryEntry> history = conversations.history("c1");
        assertThat(history).extracting(HistoryEntry::message).isEqualTo(said);
        assertThat(history).filteredOn(HistoryEntry::evicted).hasSize(40);
        assertThat(history.subList(0, 40)).allMatch(HistoryEntry::evicted);
        // One event per message plus one per eviction: nothing rewritten.
        assertThat(db.events().streamVersion(conversations.streamId("c1"))).isEqualTo(50 + 40 - 1);
        try (Cairn other = Cairn.open(location())) {
            assertThat(other.conversations().window("c1").messages()).isEqualTo(lastN(said, 10));
        }
    }

    @Test
    void anUnchangedWindowWritesNothingAndEmptyingItEvictsEverything() {
        List<ConversationMessage> window = List.of(user("a"), user("b"));
        conversations.sync("c", window, -2);
        long version = db.events().streamVersion(conversations.streamId("c"));
        conversations.sync("c", window, -2);
        assertThat(db.events().streamVersion(conversations.streamId("c"))).isEqualTo(version);
        conversations.sync("c", List.of(), -2);
        assertThat(conversations.window("c").messages()).isEmpty();
        assertThat(conversations.history("c")).hasSize(2).allMatch(HistoryEntry::evicted);
    }

    @Test
    void repeatedIdenticalMessagesAreKeptAsManyTimesAsGiven() {
        ConversationMessage ok = user("ok");
        conversations.sync("c", List.of(ok, ok), -2);
        conversations.sync("c", List.of(ok, ok, ok), -2);
        assertThat(conversations.window("c").messages()).containsExactly(ok, ok, ok);
        conversations.sync("c", List.of(ok), -2);
        assertThat(conversations.history("c")).hasSize(3).filteredOn(HistoryEntry::evicted).hasSize(2);
    }

    @Test
    void aNewMessageBeforeKeptOnesKeepsTheOrderGivenAcrossReopening() {
        ConversationMessage system = new ConversationMessage("system", "{\"system\":\"be brief\"}", null);
        conversations.sync("c", List.of(user("a"), user("b")), -2);
        conversations.sync("c", List.of(system, user("a"), user("b"), user("c")), -2);
        assertThat(conversations.window("c").messages()).containsExactly(system, user("a"), user("b"), user("c"));
        try (Cairn other = Cairn.open(location())) {
            assertThat(other.conversations().window("c").messages())
                    .containsExactly(system, user("a"), user("b"), user("c"));
        }
        ConversationMessage system2 = new ConversationMessage("system", "{\"system\":\"be long\"}", null);
        conversations.sync("c", List.of(system2, user("b"), user("c")), -2);
        try (Cairn other = Cairn.open(location())) {
            assertThat(other.conversations().window("c").messages()).containsExactly(system2, user("b"), user("c"));
        }
    }

    @Test
    void anyConversationIdIsAcceptedAndKeptApart() {
        List<String> ids = List.of("", " ", "a_b", "a__b", "a_5Fb", "chat:x", "über/ü", "😀 emoji", "x".repeat(500),
                "x".repeat(499) + "y", "_", "__", "_h", "a b", "a\nb");
        for (String id : ids) {
            conversations.sync(id, List.of(user(Integer.toString(ids.indexOf(id)))), -2);
        }
        for (String id : ids) {
            assertThat(conversations.window(id).messages()).containsExactly(user(Integer.toString(ids.indexOf(id))));
            assertThat(conversations.conversationIdOf(conversations.streamId(id))).contains(id);
        }
        assertThat(conversations.list()).extracting(ConversationSummary::conversationId)
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(ids.stream().map(conversations::streamId).distinct()).hasSize(ids.size());
        assertThatThrownBy(() -> conversations.window(null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("conversation id is null");
    }

    @Test
    void contentOverThePayloadLimitIsStoredInChunksAndReadBackWhole() {
        StringBuilder big = new StringBuilder("{\"image\":\"");
        while (big.length() < EventData.MAX_PAYLOAD_BYTES + Conversations.CHUNK_CHARS) {
            big.append("AbC+/").append('\u00e9').append("😀");
        }
        // A surrogate pair straddling the chunk boundary comes back whole.
        big.setCharAt(Conversations.CHUNK_CHARS - 1, '\ud83d');
        big.setCharAt(Conversations.CHUNK_CHARS, '\ude00');
        String content = big.append("\"}").toString();
        ConversationMessage image = new ConversationMessage("user", content, "[image]");
        conversations.sync("big", List.of(user("before"), image, user("after")), -2);
        try (Cairn other = Cairn.open(location())) {
            List<ConversationMessage> read = other.conversations().window("big").messages();
            assertThat(read).hasSize(3);
            assertThat(read.get(1).content()).isEqualTo(content);
            assertThat(other.conversations().history("big").get(1).message()).isEqualTo(image);
        }
        // Aligning by content works for chunked messages too: resaving the same window writes nothing.
        long version = db.events().streamVersion(conversations.streamId("big"));
        try (Cairn other = Cairn.open(location())) {
            other.conversations().sync("big", List.of(user("before"), image, user("after")), -2);
        }
        assertThat(db.events().streamVersion(conversations.streamId("big"))).isEqualTo(version);
        assertThat(version).isGreaterThan(3); // it did take several events
    }

    @Test
    void contentIsStoredExactlyAsGivenWithoutRedaction() {
        String content = "{\"text\":\"my key is sk-ant-0123456789abcdef\",  \"n\": 1.50e3 }";
        conversations.sync("c", List.of(ConversationMessage.of("user", content)), -2);
        try (Cairn other = Cairn.open(location())) {
            assertThat(other.conversations().window("c").messages().get(0).content()).isEqualTo(content);
        }
    }

    @Test
    void aStaleWindowDoesNotEvictWhatOthersAddedSinceItWasRead() {
        conversations.sync("c", List.of(user("a")), -2);
        ConversationWindow seen = conversations.window("c");
        try (Cairn other = Cairn.open(location())) {
            Conversations second = other.conversations();
            second.sync("c", List.of(user("a"), user("x")), second.window("c").version());
        }
        conversations.sync("c", List.of(user("a"), user("y")), seen.version());
        assertThat(conversations.window("c").messages()).containsExactly(user("a"), user("x"), user("y"));
        // Without the caller's version, the window given is the whole truth: x is evicted.
        conversations.sync("c", List.of(user("a"), user("y")), -2);
        assertThat(conversations.window("c").messages()).containsExactly(user("a"), user("y"));
    }

    @Test
    void concurrentWritersBehindABarrierLoseNoMessage() throws Exception {
        int threads = 4;
        int each = 15;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        try (Cairn second = Cairn.open(location())) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                // Half the writers use another store on the same file, as another process would.
                Conversations store = t % 2 == 0 ? conversations : second.conversations();
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        ConversationWindow seen = store.window("shared");
                        List<ConversationMessage> window = new ArrayList<>(seen.messages());
                        window.add(user("t" + thread + "-" + i));
                        store.sync("shared", window, seen.version());
                    }
                    return null;
                }));
            }
            // Every writer finishes (or fails) before the second store closes under it.
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("writers finished").isTrue();
        } finally {
            pool.shutdownNow();
        }
        for (Future<?> f : done) {
            f.get();
        }
        List<ConversationMessage> window = conversations.window("shared").messages();
        assertThat(window).hasSize(threads * each).doesNotHaveDuplicates();
        assertThat(conversations.history("shared")).hasSize(threads * each).noneMatch(HistoryEntry::evicted);
        // Each writer's messages stay in its own order.
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + "-";
            List<String> mine = window.stream().map(ConversationMessage::summary).filter(s -> s.startsWith(prefix))
                    .toList();
            assertThat(mine).isEqualTo(IntStream.range(0, each).mapToObj(i -> prefix + i).toList());
        }
    }

    @Test
    void aStreamDeletedAndWrittenAgainIsNotReadFromTheCache() {
        conversations.sync("c", List.of(user("a"), user("b")), -2);
        assertThat(conversations.window("c").messages()).hasSize(2);
        try (Cairn other = Cairn.open(location())) {
            Conversations second = other.conversations();
            assertThat(second.delete("c")).isTrue();
            second.sync("c", List.of(user("x"), user("y")), -2); // back to the same version, other events
        }
        assertThat(conversations.window("c").messages()).containsExactly(user("x"), user("y"));
    }

    @Test
    void deleteRemovesTheStreamAndPruneRemovesOnlyIdleConversations() {
        conversations.sync("old", List.of(user("a")), -2);
        conversations.sync("gone", List.of(user("a")), -2);
        clock.advance(Duration.ofDays(31));
        conversations.sync("new", List.of(user("b")), -2);
        assertThat(conversations.delete("gone")).isTrue();
        assertThat(conversations.delete("gone")).isFalse();
        assertThat(db.events().streamVersion(conversations.streamId("gone"))).isEqualTo(-1);
        assertThat(conversations.history("gone")).isEmpty();

        assertThat(conversations.pruneIdle(Duration.ofDays(30))).containsExactly("old");
        assertThat(conversations.list()).extracting(ConversationSummary::conversationId).containsExactly("new");
        assertThat(conversations.window("old").messages()).isEmpty();
        assertThat(conversations.pruneIdle(Duration.ofDays(30))).isEmpty();
    }

    @Test
    void listingCountsMessagesAndTheVisibleOnes() {
        conversations.sync("c", List.of(user("a"), user("b")), -2);
        clock.advance(Duration.ofSeconds(5));
        conversations.sync("c", List.of(user("b"), user("c")), -2);
        ConversationSummary summary = conversations.list().get(0);
        assertThat(summary.messages()).isEqualTo(3);
        assertThat(summary.visible()).isEqualTo(2);
        assertThat(summary.lastActivityAt()).isEqualTo(summary.startedAt().plusSeconds(5));
    }
}
