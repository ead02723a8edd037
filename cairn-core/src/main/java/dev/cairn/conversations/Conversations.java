package dev.cairn.conversations;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The chat conversations of agent frameworks (LangChain4j's and Spring AI's chat memories), one event stream of kind
 * {@value #KIND} per conversation: each message is its own event, stored exactly as given, and a message that leaves the
 * window is marked evicted by an event, never deleted. Reached as {@code db.conversations()}; keep the instance, as it
 * caches each conversation's window and reads only the events after it.
 *
 * <p>The frameworks give messages no ids and hand over the whole window on each save, so {@link #sync} aligns the new
 * window with the stored one by content and writes only the difference. Writes use the stream's expected version and
 * retry on a conflict, so concurrent writers never lose a message.
 */
public interface Conversations {
    /** The kind of the conversation streams. */
    String KIND = "chat";

    /** Content longer than this many characters is stored in chunks of this size, one event each. */
    int CHUNK_CHARS = 128 * 1024;

    /** The stream id of a conversation: any id is accepted, encoded into {@code chat:...} (hashed when very long). */
    String streamId(String conversationId);

    /** The visible window, in order, with the version it was read at; empty for an unknown conversation. */
    ConversationWindow window(String conversationId);

    /**
     * Makes the stored window equal to {@code window}: messages not in the stored window are appended, stored
     * messages no longer in it are marked evicted, and the order is recorded when it changed. Messages added after
     * {@code seenVersion} (the version of the window the caller started from; -2 for "the current one") are kept
     * visible even when {@code window} lacks them, since the caller never saw them. Returns the window as stored.
     */
    ConversationWindow sync(String conversationId, List<ConversationMessage> window, long seenVersion);

    /** Everything ever said in a conversation, in order, with the messages that left the window marked. */
    List<HistoryEntry> history(String conversationId);

    /** Deletes a conversation's stream, history included; returns whether there was one. */
    boolean delete(String conversationId);

    /** Every conversation, most recently active first. */
    List<ConversationSummary> list();

    /** The conversation a {@code chat:} stream id holds, if there is one. */
    Optional<String> conversationIdOf(String streamId);

    /** Deletes the conversations that have not changed for {@code idleFor}; returns their ids. */
    List<String> pruneIdle(Duration idleFor);
}
