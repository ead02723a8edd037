package dev.cairn.conversations;

import java.time.Instant;

/**
 * One message of a conversation's history: everything ever said is kept, in order, and a message that left the window
 * is marked, not deleted.
 *
 * @param position the stream version of the event that added it (increasing, with gaps where other events are)
 * @param addedAt when it was stored
 * @param evictedAt when it left the window, or null while it is visible
 */
public record HistoryEntry(long position, ConversationMessage message, Instant addedAt, Instant evictedAt) {
    /** Whether it left the window. */
    public boolean evicted() {
        return evictedAt != null;
    }
}
