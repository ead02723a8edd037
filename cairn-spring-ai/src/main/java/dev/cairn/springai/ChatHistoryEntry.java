package dev.cairn.springai;

import java.time.Instant;
import org.springframework.ai.chat.messages.Message;

/**
 * One message of a conversation's history, as Spring AI reads it.
 *
 * @param addedAt when it was stored
 * @param evictedAt when it left the window, or null while it is in it
 */
public record ChatHistoryEntry(Message message, Instant addedAt, Instant evictedAt) {
    /** Whether it left the window. */
    public boolean evicted() {
        return evictedAt != null;
    }
}
