package dev.cairn.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import java.time.Instant;

/**
 * One message of a conversation's history, as LangChain4j reads it.
 *
 * @param addedAt when it was stored
 * @param evictedAt when it left the window, or null while it is in it
 */
public record ChatHistoryEntry(ChatMessage message, Instant addedAt, Instant evictedAt) {
    /** Whether it left the window. */
    public boolean evicted() {
        return evictedAt != null;
    }
}
