package dev.cairn.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.PdfFileContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.memory.chat.TokenWindowChatMemory;
import dev.langchain4j.model.TokenCountEstimator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LangChain4j's own window memories over the Cairn store, on SQLite here and on PostgreSQL in the subclass. */
class CairnChatMemoryStoreTest {
    @TempDir
    Path dir;

    Cairn db;
    CairnChatMemoryStore store;

    String location() {
        return dir.resolve("chat.db").toString();
    }

    @BeforeEach
    void open() {
        db = Cairn.open(location());
        store = new CairnChatMemoryStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    ChatMemory window(Object id, int max) {
        return MessageWindowChatMemory.builder().id(id).maxMessages(max).chatMemoryStore(store).build();
    }

    @Test
    void fiftyMessagesInAWindowOfTenKeepTenVisibleAndFiftyInHistory() {
        ChatMemory memory = window("c1", 10);
        List<ChatMessage> said = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ChatMessage m = i % 2 == 0 ? UserMessage.from("question " + i) : AiMessage.from("answer " + i);
            said.add(m);
            memory.add(m);
        }
        assertThat(memory.messages()).isEqualTo(said.subList(40, 50));
        try (Cairn other = Cairn.open(location())) {
            CairnChatMemoryStore reopened = new CairnChatMemoryStore(other);
            assertThat(reopened.getMessages("c1")).isEqualTo(said.subList(40, 50));
            List<ChatHistoryEntry> history = reopened.history("c1");
            assertThat(history).extracting(ChatHistoryEntry::message).isEqualTo(said);
            assertThat(history).filteredOn(ChatHistoryEntry::evicted).hasSize(40);
        }
    }

    @Test
    void everyMessageTypeRoundTrips() {
        String pdf = Base64.getEncoder().encodeToString("%PDF-1.7 a tiny pdf".getBytes());
        List<ChatMessage> all = List.of(
                SystemMessage.from("You are terse."),
                UserMessage.from("plain text"),
                UserMessage.from("alice", List.of(TextContent.from("look at this"),
                        ImageContent.from("iVBORw0KGgo=", "image/png"), PdfFileContent.from(pdf, "application/pdf"))),
                AiMessage.builder().text("let me check").thinking("the user wants the weather")
                        .toolExecutionRequests(List.of(ToolExecutionRequest.builder().id("call-1").name("weather")
                                .arguments("{\"city\":\"Paris\"}").build(), ToolExecutionRequest.builder()
                                .id("call-2").name("time").arguments("{}").build())).build(),
                ToolExecutionResultMessage.from("call-1", "weather", "18°C, cloudy"),
                ToolExecutionResultMessage.builder().id("call-2").toolName("time").text("clock unreachable")
                        .isError(true).build(),
                CustomMessage.from(new LinkedHashMap<>(Map.of("kind", "note", "n", 3))));
        ChatMemory memory = window("types", 100);
        all.forEach(memory::add);
        try (Cairn other = Cairn.open(location())) {
            List<ChatMessage> read = new CairnChatMemoryStore(other).getMessages("types");
            assertThat(read).isEqualTo(all);
            assertThat(((ToolExecutionResultMessage) read.get(5)).isError()).isTrue();
            assertThat(((AiMessage) read.get(3)).thinking()).isEqualTo("the user wants the weather");
        }
        // Saving the same window again writes nothing: each message is recognised by its serialized form.
        long version = db.events().streamVersion(db.conversations().streamId("types"));
        store.updateMessages("types", store.getMessages("types"));
        assertThat(db.events().streamVersion(db.conversations().streamId("types"))).isEqualTo(version);
    }

    @Test
    void anImageLargerThanTheEventLimitRoundTrips() {
        byte[] png = new byte[1024 * 1024]; // 1.4 MB in base64: over the 1 MiB payload limit
        new Random(7).nextBytes(png);
        UserMessage withImage = UserMessage.from(TextContent.from("what is this?"),
                ImageContent.from(Base64.getEncoder().encodeToString(png), "image/png"));
        ChatMemory memory = window("image", 10);
        memory.add(withImage);
        memory.add(AiMessage.from("noise"));
        try (Cairn other = Cairn.open(location())) {
            assertThat(new CairnChatMemoryStore(other).getMessages("image")).containsExactly(withImage,
                    AiMessage.from("noise"));
        }
    }

    @Test
    void toolCallPairsAreNeverSplitByTheWindow() {
        ChatMemory memory = window("tools", 4);
        int results = 0;
        try (Cairn other = Cairn.open(location())) {
            for (int i = 0; i < 20; i++) {
                memory.add(UserMessage.from("q" + i));
                ToolExecutionRequest call = ToolExecutionRequest.builder().id("c" + i).name("lookup")
                        .arguments("{\"i\":" + i + "}").build();
                memory.add(AiMessage.from(List.of(call)));
                memory.add(ToolExecutionResultMessage.from(call, "r" + i));
                memory.add(AiMessage.from("a" + i));
                // What a fresh reader of the store sees: every result has its call before it.
                List<ChatMessage> stored = new CairnChatMemoryStore(other).getMessages("tools");
                Set<String> called = new HashSet<>();
                for (ChatMessage m : stored) {
                    if (m instanceof AiMessage ai) {
                        ai.toolExecutionRequests().forEach(r -> called.add(r.id()));
                    } else if (m instanceof ToolExecutionResultMessage result) {
                        assertThat(called).as("the call of result %s is in the window before it", result.id())
                                .contains(result.id());
                        results++;
                    }
                }
            }
        }
        assertThat(results).isGreaterThan(10); // the check saw tool results
        assertThat(store.history("tools")).hasSize(80);
    }

    @Test
    void aTokenWindowMemoryKeepsItsWindowAndTheHistory() {
        // LangChain4j ships no offline tokenizer: one token per word is enough to drive the eviction.
        TokenCountEstimator words = new TokenCountEstimator() {
            @Override
            public int estimateTokenCountInText(String text) {
                return text == null || text.isBlank() ? 0 : text.trim().split("\\s+").length;
            }

            @Override
            public int estimateTokenCountInMessage(ChatMessage message) {
                return estimateTokenCountInText(CairnChatMemoryStore.toStored(message).summary());
            }

            @Override
            public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
                int sum = 0;
                for (ChatMessage m : messages) {
                    sum += estimateTokenCountInMessage(m);
                }
                return sum;
            }
        };
        ChatMemory memory = TokenWindowChatMemory.builder().id("tokens").maxTokens(12, words).chatMemoryStore(store)
                .build();
        memory.add(SystemMessage.from("be brief"));
        for (int i = 0; i < 30; i++) {
            memory.add(UserMessage.from("three words " + i));
        }
        List<ChatMessage> visible = store.getMessages("tokens");
        assertThat(visible.get(0)).isEqualTo(SystemMessage.from("be brief"));
        assertThat(words.estimateTokenCountInMessages(visible)).isLessThanOrEqualTo(12);
        assertThat(visible).hasSize(4).endsWith(UserMessage.from("three words 29"));
        assertThat(store.history("tokens")).hasSize(31).filteredOn(ChatHistoryEntry::evicted).hasSize(27);
    }

    @Test
    void twoThreadsAddingToOneConversationLoseNoMessage() throws Exception {
        int each = 20;
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> done = new ArrayList<>();
        try (Cairn second = Cairn.open(location())) {
            List<CairnChatMemoryStore> stores = List.of(store, new CairnChatMemoryStore(second));
            for (int t = 0; t < 2; t++) {
                int thread = t;
                ChatMemory memory = MessageWindowChatMemory.builder().id("shared").maxMessages(1000)
                        .chatMemoryStore(stores.get(t)).build();
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        memory.add(UserMessage.from("t" + thread + "-" + i));
                    }
                    return null;
                }));
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        for (Future<?> f : done) {
            f.get();
        }
        List<ChatMessage> window = store.getMessages("shared");
        assertThat(window).hasSize(2 * each).doesNotHaveDuplicates();
        assertThat(store.history("shared")).hasSize(2 * each).noneMatch(ChatHistoryEntry::evicted);
    }

    @Test
    void aConversationWrittenByAnotherJvmIsReadBack() throws Exception {
        db.close();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), WriterMain.class.getName(), location(), "user 42/ü")
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        open();
        assertThat(store.getMessages("user 42/ü")).containsExactly(SystemMessage.from("be brief"),
                UserMessage.from("message 8"), UserMessage.from("message 9"), UserMessage.from("message 10"),
                UserMessage.from("message 11"));
        assertThat(store.history("user 42/ü")).hasSize(13);
    }

    @Test
    void deleteRemovesTheConversation() {
        ChatMemory memory = window(42L, 10);
        memory.add(UserMessage.from("hello"));
        assertThat(store.getMessages(42L)).hasSize(1);
        memory.clear();
        assertThat(store.getMessages(42L)).isEmpty();
        assertThat(store.history(42L)).isEmpty();
        assertThat(db.events().streamVersion(db.conversations().streamId("42"))).isEqualTo(-1);
    }
}
