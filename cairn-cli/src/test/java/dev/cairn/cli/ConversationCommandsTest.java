package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.Cairn;
import dev.cairn.conversations.ConversationMessage;
import dev.cairn.conversations.Conversations;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chat conversations beside orchestration threads: listed, shown as transcripts, pruned when idle. */
class ConversationCommandsTest {
    @TempDir
    Path dir;

    Path db;

    @BeforeEach
    void seed() {
        db = dir.resolve("cli.db");
        // One conversation went quiet 40 days ago; the other is current.
        try (Cairn old = Cairn.builder().path(db).clock(Clock.fixed(Instant.now().minus(Duration.ofDays(40)),
                ZoneOffset.UTC)).open()) {
            old.conversations().sync("old chat", List.of(ConversationMessage.of("user", "{\"t\":\"hi\"}")), -2);
        }
        try (Cairn cairn = Cairn.open(db)) {
            Conversations conversations = cairn.conversations();
            conversations.sync("user-42", List.of(
                    new ConversationMessage("user", "{\"t\":\"weather?\"}", "What's the weather in Paris?"),
                    new ConversationMessage("assistant", "{\"calls\":1}", "calls weather({\"city\":\"Paris\"}) [c1]"),
                    new ConversationMessage("tool", "{\"r\":1}", "weather [c1]: 18°C")), -2);
            conversations.sync("user-42", List.of(
                    new ConversationMessage("assistant", "{\"calls\":1}", "calls weather({\"city\":\"Paris\"}) [c1]"),
                    new ConversationMessage("tool", "{\"r\":1}", "weather [c1]: 18°C"),
                    new ConversationMessage("assistant", "{\"a\":1}", "18°C in Paris.")), -2);
        }
    }

    @Test
    void threadsListsConversationsAndThreadShowsOneAsATranscript() {
        Cli list = Cli.run("--db", db.toString(), "threads");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("CONVERSATION").contains("user-42").contains("chat:user-42")
                .contains("old chat").contains("chat:old_20chat");
        JsonNode json = Cli.run("--db", db.toString(), "threads", "--json").json();
        assertThat(json.get("conversations")).hasSize(2);
        assertThat(json.get("conversations").get(0).get("conversationId").asText()).isEqualTo("user-42");
        assertThat(json.get("conversations").get(0).get("messageCount").asLong()).isEqualTo(4);
        assertThat(json.get("conversations").get(0).get("visibleCount").asLong()).isEqualTo(3);

        Cli transcript = Cli.run("--db", db.toString(), "thread", "user-42");
        assertThat(transcript.exitCode()).as(transcript.err()).isZero();
        assertThat(transcript.out()).contains("conversation user-42 (chat:user-42)")
                .contains("user (left the window): What's the weather in Paris?")
                .contains("assistant: calls weather({\"city\":\"Paris\"}) [c1]")
                .contains("tool: weather [c1]: 18°C").contains("4 messages, 3 in the window");
        Cli byStream = Cli.run("--db", db.toString(), "thread", "chat:old_20chat", "--json");
        assertThat(byStream.json().get("conversationId").asText()).isEqualTo("old chat");
        assertThat(byStream.json().get("messages")).hasSize(1);

        Cli missing = Cli.run("--db", db.toString(), "thread", "nobody");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("no thread or conversation nobody");
    }

    @Test
    void pruneDeletesConversationsIdleForLongerThanTheAge() {
        Cli dry = Cli.run("--db", db.toString(), "prune", "--conversations-idle-for", "30d", "--dry-run", "--json");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.json().get("conversations")).hasSize(1);
        assertThat(dry.json().get("conversations").get(0).asText()).isEqualTo("old chat");

        Cli prune = Cli.run("--db", db.toString(), "prune", "--conversations-idle-for", "30d");
        assertThat(prune.exitCode()).as(prune.err()).isZero();
        assertThat(prune.out()).contains("1 conversations idle for");
        try (Cairn cairn = Cairn.open(db)) {
            assertThat(cairn.conversations().list()).extracting(c -> c.conversationId()).containsExactly("user-42");
        }
    }
}
