package dev.cairn.springai;

import dev.cairn.Cairn;
import dev.cairn.conversations.ConversationMessage;
import dev.cairn.conversations.ConversationSummary;
import dev.cairn.conversations.ConversationWindow;
import dev.cairn.conversations.Conversations;
import dev.cairn.conversations.HistoryEntry;
import dev.cairn.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.Message;

/**
 * A Spring AI {@link ChatMemoryRepository} on Cairn: each message is its own event in the conversation's {@code chat:}
 * stream, tool calls and tool responses included, and a save writes only what changed (messages that left the window
 * are marked evicted and stay in {@link #history}), where the JDBC repository deletes and rewrites the conversation.
 *
 * <p>A chat memory reads the window and then saves it on the same thread; the repository remembers, per thread, the
 * version it last read, so a save does not evict messages another thread or process added since.
 */
public final class CairnChatMemoryRepository implements ChatMemoryRepository {
    private final Conversations conversations;
    private final ThreadLocal<Seen> seen = new ThreadLocal<>();

    /** The version of the window this thread last read or wrote, for one conversation. */
    private record Seen(String conversationId, long version) {}

    /** A repository on an open Cairn store; keep it for as long as the store is open. */
    public CairnChatMemoryRepository(Cairn db) {
        this(db.conversations());
    }

    /** A repository on Cairn's conversations. */
    public CairnChatMemoryRepository(Conversations conversations) {
        this.conversations = conversations;
    }

    @Override
    public List<String> findConversationIds() {
        return conversations.list().stream().map(ConversationSummary::conversationId).toList();
    }

    @Override
    public List<Message> findByConversationId(String conversationId) {
        String id = requireId(conversationId);
        ConversationWindow window = conversations.window(id);
        seen.set(new Seen(id, window.version()));
        List<Message> messages = new ArrayList<>(window.messages().size());
        for (ConversationMessage message : window.messages()) {
            messages.add(SpringAiMessages.fromStored(message.content()));
        }
        return messages;
    }

    @Override
    public void saveAll(String conversationId, List<Message> messages) {
        String id = requireId(conversationId);
        if (messages == null) {
            throw new InvalidInputException("the messages to save in conversation '" + id + "' are null; pass an "
                    + "empty list to clear its window");
        }
        Seen last = seen.get();
        long version = last != null && last.conversationId.equals(id) ? last.version : -2;
        List<ConversationMessage> window = new ArrayList<>(messages.size());
        for (Message message : messages) {
            window.add(SpringAiMessages.toStored(message));
        }
        seen.set(new Seen(id, conversations.sync(id, window, version).version()));
    }

    @Override
    public void deleteByConversationId(String conversationId) {
        conversations.delete(requireId(conversationId));
        seen.remove();
    }

    /** Everything ever said in a conversation, in order, with the messages that left the window marked. */
    public List<ChatHistoryEntry> history(String conversationId) {
        List<ChatHistoryEntry> out = new ArrayList<>();
        for (HistoryEntry entry : conversations.history(requireId(conversationId))) {
            out.add(new ChatHistoryEntry(SpringAiMessages.fromStored(entry.message().content()), entry.addedAt(),
                    entry.evictedAt()));
        }
        return out;
    }

    private static String requireId(String conversationId) {
        if (conversationId == null) {
            throw new InvalidInputException("a conversation id is null; pass the id of the conversation");
        }
        return conversationId;
    }
}
