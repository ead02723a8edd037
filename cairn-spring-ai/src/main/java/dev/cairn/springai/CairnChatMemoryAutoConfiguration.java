package dev.cairn.springai;

import dev.cairn.Cairn;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Spring Boot auto-configuration: with this jar on the class path and {@code cairn.db} set (a file path or a JDBC URL),
 * the application gets an open {@link Cairn} store and a {@link CairnChatMemoryRepository} as its
 * {@link ChatMemoryRepository}. It runs before Spring AI's chat-memory auto-configuration, whose in-memory repository
 * only stands in when no repository is defined.
 */
@AutoConfiguration(beforeName = "org.springframework.ai.model.chat.memory.autoconfigure.ChatMemoryAutoConfiguration")
@ConditionalOnClass(ChatMemoryRepository.class)
@ConditionalOnProperty(prefix = "cairn", name = "db")
public class CairnChatMemoryAutoConfiguration {
    /** The store named by {@code cairn.db}, closed with the application context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Cairn cairn(Environment environment) {
        return Cairn.open(environment.getRequiredProperty("cairn.db"));
    }

    /** The chat memory repository on that store. */
    @Bean
    @ConditionalOnMissingBean(ChatMemoryRepository.class)
    public CairnChatMemoryRepository cairnChatMemoryRepository(Cairn cairn) {
        return new CairnChatMemoryRepository(cairn);
    }
}
