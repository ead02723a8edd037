package dev.cairn.adk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.adk.agents.LlmAgent;
import com.google.adk.artifacts.InMemoryArtifactService;
import com.google.adk.events.Event;
import com.google.adk.models.BaseLlm;
import com.google.adk.models.BaseLlmConnection;
import com.google.adk.models.LlmRequest;
import com.google.adk.models.LlmResponse;
import com.google.adk.runner.Runner;
import com.google.adk.sessions.Session;
import com.google.genai.types.Content;
import com.google.genai.types.Part;
import dev.cairn.Cairn;
import io.reactivex.rxjava3.core.Flowable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's way of plugging the service into ADK's {@link Runner}, with a model that answers how many contents its
 * request held: after a restart the agent goes on with the whole conversation, read back from Cairn.
 */
class RunnerTest {
    @TempDir
    Path dir;

    String location() {
        return dir.resolve("agent.db").toString();
    }

    /** A model that needs no network: it answers with the number of contents ADK sent it. */
    static final class CountingModel extends BaseLlm {
        CountingModel() {
            super("counting-model");
        }

        @Override
        public Flowable<LlmResponse> generateContent(LlmRequest request, boolean stream) {
            return Flowable.just(LlmResponse.builder().content(Content.builder().role("model")
                    .parts(Part.fromText("I have seen " + request.contents().size() + " messages")).build()).build());
        }

        @Override
        public BaseLlmConnection connect(LlmRequest request) {
            throw new UnsupportedOperationException("no live connection in this test");
        }
    }

    static String run(Cairn db, String text) {
        LlmAgent agent = LlmAgent.builder().name("assistant").model(new CountingModel())
                .instruction("Answer briefly.").outputKey("last_answer").build();
        Runner runner = Runner.builder().agent(agent).appName("shop").sessionService(new CairnSessionService(db))
                .artifactService(new InMemoryArtifactService()).build();
        List<Event> events = runner.runAsync("alice", "s1", Content.builder().role("user")
                .parts(Part.fromText(text)).build()).toList().blockingGet();
        return events.get(events.size() - 1).stringifyContent();
    }

    @Test
    void anAgentGoesOnWithItsConversationAfterARestart() {
        try (Cairn db = Cairn.open(location())) {
            new CairnSessionService(db).createSession("shop", "alice", (Map<String, Object>) null, "s1").blockingGet();
            assertThat(run(db, "hello")).isEqualTo("I have seen 1 messages");
        }
        try (Cairn db = Cairn.open(location())) {
            assertThat(run(db, "and again")).isEqualTo("I have seen 3 messages");
            Session session = new CairnSessionService(db).getSession("shop", "alice", "s1", Optional.empty())
                    .blockingGet();
            assertThat(session.events()).extracting(Event::author).containsExactly("user", "assistant", "user",
                    "assistant");
            assertThat(session.state()).containsEntry("last_answer", "I have seen 3 messages");
        }
    }
}
