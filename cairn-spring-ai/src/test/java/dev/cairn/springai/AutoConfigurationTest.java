package dev.cairn.springai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * A Boot application with Spring AI's chat-memory auto-configuration on the class path: {@code cairn.db} is all it
 * takes for Cairn's repository, not the in-memory one, to back the ChatMemory Spring AI builds.
 */
class AutoConfigurationTest {
    @TempDir
    Path dir;

    @Configuration
    @EnableAutoConfiguration
    static class App {}

    private ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(properties).run();
    }

    @Test
    void withCairnDbTheChatMemoryIsBackedByCairnAndSurvivesARestart() {
        String db = "cairn.db=" + dir.resolve("app.db");
        try (ConfigurableApplicationContext context = start(db)) {
            assertThat(context.getBean(ChatMemoryRepository.class)).isInstanceOf(CairnChatMemoryRepository.class);
            assertThat(context.getBeansOfType(ChatMemoryRepository.class)).hasSize(1);
            context.getBean(ChatMemory.class).add("c1", new UserMessage("remember me"));
        }
        try (ConfigurableApplicationContext context = start(db)) {
            assertThat(context.getBean(ChatMemory.class).get("c1")).containsExactly(new UserMessage("remember me"));
        }
    }

    @Test
    void withoutCairnDbSpringAisOwnInMemoryRepositoryStandsIn() {
        // The control: Spring AI's auto-configuration is active here, so the test above shows Cairn's taking over.
        try (ConfigurableApplicationContext context = start("spring.main.banner-mode=off")) {
            assertThat(context.getBean(ChatMemoryRepository.class)).isInstanceOf(InMemoryChatMemoryRepository.class);
        }
    }
}
