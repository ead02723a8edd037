package dev.cairn.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.content.Media;
import org.springframework.util.MimeTypeUtils;

/** Spring AI's MessageWindowChatMemory over the Cairn repository, on SQLite here and PostgreSQL in the subclass. */
class CairnChatMemoryRepositoryTest {
    @TempDir
    Path dir;

    Cairn db;
    CairnChatMemoryRepository repository;

    String location() {
        return dir.resolve("chat.db").toString();
    }

    @BeforeEach
    void open() {
        db = Cairn.open(location());
        repository = new CairnChatMemoryRepository(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    ChatMemory memory(int max) {
        return MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(max).build();
    }

    @Test
    void fiftyMessagesInAWindowOfTenKeepTenVisibleAndFiftyInHistory() {
        ChatMemory memory = memory(10);
        List<Message> said = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Message m = i % 2 == 0 ? new UserMessage("question " + i) : new AssistantMessage("answer " + i);
            said.add(m);
            memory.add("c1", m);
        }
        assertThat(memory.get("c1")).isEqualTo(said.subList(40, 50));
        try (Cairn other = Cairn.open(location())) {
            CairnChatMemoryRepository reopened = new CairnChatMemoryRepository(other);
            assertThat(reopened.findByConversationId("c1")).isEqualTo(said.subList(40, 50));
            assertThat(reopened.history("c1")).extracting(ChatHistoryEntry::message).isEqualTo(said);
            assertThat(reopened.history("c1")).filteredOn(ChatHistoryEntry::evicted).hasSize(40);
            assertThat(reopened.findConversationIds()).containsExactly("c1");
        }
    }

    @Test
    void toolCallsToolResponsesMediaAndMetadataSurviveReopening() {
        List<Message> all = List.of(
                SystemMessage.builder().text("You are terse.").build(),
                UserMessage.builder().text("what is on this picture, and the weather?")
                        .media(new Media(MimeTypeUtils.IMAGE_PNG, URI.create("https://example.com/cat.png")),
                                Media.builder().mimeType(MimeTypeUtils.IMAGE_JPEG).data(new byte[] {1, 2, 3, -1})
                                        .name("cat").build())
                        .metadata(Map.of("user", "alice")).build(),
                AssistantMessage.builder().content("").properties(Map.of("model", "m1"))
                        .toolCalls(List.of(new AssistantMessage.ToolCall("call-1", "function", "weather",
                                "{\"city\":\"Paris\"}"))).build(),
                ToolResponseMessage.builder().responses(List.of(new ToolResponseMessage.ToolResponse("call-1",
                        "weather", "{\"error\":\"service down\"}"))).build(),
                new AssistantMessage("It is a cat; the weather service is down."));
        ChatMemory memory = memory(100);
        memory.add("tools", all);
        try (Cairn other = Cairn.open(location())) {
            List<Message> read = new CairnChatMemoryRepository(other).findByConversationId("tools");
            assertThat(read).hasSize(5);
            assertThat(read.get(0)).isEqualTo(all.get(0));
            assertThat(((AssistantMessage) read.get(2)).getToolCalls()).isEqualTo(((AssistantMessage) all.get(2))
                    .getToolCalls());
            assertThat(((ToolResponseMessage) read.get(3)).getResponses()).isEqualTo(((ToolResponseMessage)
                    all.get(3)).getResponses());
            UserMessage user = (UserMessage) read.get(1);
            assertThat(user.getText()).isEqualTo(all.get(1).getText());
            assertThat(user.getMetadata()).containsEntry("user", "alice");
            assertThat(user.getMedia()).hasSize(2);
            assertThat(user.getMedia().get(0).getData()).isEqualTo("https://example.com/cat.png");
            assertThat(user.getMedia().get(1).getDataAsByteArray()).containsExactly(1, 2, 3, -1);
            assertThat(user.getMedia().get(1).getName()).isEqualTo("cat");
            assertThat(read.get(2).getMetadata()).containsEntry("model", "m1");
            // Read back and saved again, the window is recognised message by message: nothing is written.
            long version = other.events().streamVersion(other.conversations().streamId("tools"));
            CairnChatMemoryRepository again = new CairnChatMemoryRepository(other);
            again.saveAll("tools", again.findByConversationId("tools"));
            assertThat(other.events().streamVersion(other.conversations().streamId("tools"))).isEqualTo(version);
        }
    }

    @Test
    void twoThreadsAddingToOneConversationLoseNoMessage() throws Exception {
        int each = 20;
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> done = new ArrayList<>();
        try (Cairn second = Cairn.open(location())) {
            List<CairnChatMemoryRepository> repositories = List.of(repository, new CairnChatMemoryRepository(second));
            for (int t = 0; t < 2; t++) {
                int thread = t;
                ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repositories.get(t))
                        .maxMessages(1000).build();
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        memory.add("shared", new UserMessage("t" + thread + "-" + i));
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
        assertThat(repository.findByConversationId("shared")).hasSize(2 * each).doesNotHaveDuplicates();
        assertThat(repository.history("shared")).hasSize(2 * each).noneMatch(ChatHistoryEntry::evicted);
    }

    @Test
    void deleteRemovesTheConversation() {
        memory(10).add("gone", new UserMessage("hello"));
        repository.deleteByConversationId("gone");
        assertThat(repository.findByConversationId("gone")).isEmpty();
        assertThat(repository.findConversationIds()).isEmpty();
        assertThat(db.events().streamVersion(db.conversations().streamId("gone"))).isEqualTo(-1);
    }
}
