package dev.cairn.langchain4j;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.conversations.ConversationMessage;
import dev.cairn.conversations.ConversationWindow;
import dev.cairn.conversations.Conversations;
import dev.cairn.conversations.HistoryEntry;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import java.util.ArrayList;
import java.util.List;

/**
 * A LangChain4j {@link ChatMemoryStore} on Cairn: each message is its own event in the conversation's {@code chat:}
 * stream, serialized with LangChain4j's own {@link ChatMessageSerializer}, so every message type round-trips; messages
 * that leave the window are marked evicted and stay in {@link #history}.
 *
 * <pre>{@code
 * ChatMemory memory = MessageWindowChatMemory.builder().id("user-42").maxMessages(20)
 *         .chatMemoryStore(new CairnChatMemoryStore(db)).build();
 * }</pre>
 *
 * <p>Memory ids are turned into text with {@code String.valueOf}: give ids whose text is unique. A chat memory reads
 * the window and then saves it on the same thread; the store remembers, per thread, the version it last read, so a
 * save does not evict messages another thread or process added since.
 */
public final class CairnChatMemoryStore implements ChatMemoryStore {
    private final Conversations conversations;
    private final ThreadLocal<Seen> seen = new ThreadLocal<>();

    /** The version of the window this thread last read or wrote, for one conversation. */
    private record Seen(String conversationId, long version) {}

    /** A store on an open Cairn store; keep it for as long as the store is open. */
    public CairnChatMemoryStore(Cairn db) {
        this(db.conversations());
    }

    /** A store on Cairn's conversations (for example a transaction's). */
    public CairnChatMemoryStore(Conversations conversations) {
        this.conversations = conversations;
    }

    @Override
    public List<ChatMessage> getMessages(Object memoryId) {
        String id = key(memoryId);
        ConversationWindow window = conversations.window(id);
        seen.set(new Seen(id, window.version()));
        List<ChatMessage> messages = new ArrayList<>(window.messages().size());
        for (ConversationMessage message : window.messages()) {
            messages.add(ChatMessageDeserializer.messageFromJson(message.content()));
        }
        return messages;
    }

    @Override
    public void updateMessages(Object memoryId, List<ChatMessage> messages) {
        String id = key(memoryId);
        Seen last = seen.get();
        long version = last != null && last.conversationId.equals(id) ? last.version : -2;
        List<ConversationMessage> window = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            window.add(toStored(message));
        }
        seen.set(new Seen(id, conversations.sync(id, window, version).version()));
    }

    @Override
    public void deleteMessages(Object memoryId) {
        conversations.delete(key(memoryId));
        seen.remove();
    }

    /** Everything ever said in a conversation, in order, with the messages that left the window marked. */
    public List<ChatHistoryEntry> history(Object memoryId) {
        List<ChatHistoryEntry> out = new ArrayList<>();
        for (HistoryEntry entry : conversations.history(key(memoryId))) {
            out.add(new ChatHistoryEntry(ChatMessageDeserializer.messageFromJson(entry.message().content()),
                    entry.addedAt(), entry.evictedAt()));
        }
        return out;
    }

    private static String key(Object memoryId) {
        if (memoryId == null) {
            throw new InvalidInputException("a chat memory id is null; give each chat memory an id");
        }
        return String.valueOf(memoryId);
    }

    static ConversationMessage toStored(ChatMessage message) {
        if (message == null) {
            throw new InvalidInputException("a chat memory window holds a null message");
        }
        String json = ChatMessageSerializer.messageToJson(message);
        return switch (message.type()) {
            case SYSTEM -> new ConversationMessage("system", json, ((SystemMessage) message).text());
            case USER -> new ConversationMessage("user", json, describe(((UserMessage) message).contents()));
            case AI -> new ConversationMessage("assistant", json, describe((AiMessage) message));
            case TOOL_EXECUTION_RESULT -> {
                ToolExecutionResultMessage result = (ToolExecutionResultMessage) message;
                yield new ConversationMessage("tool", json, result.toolName() + " [" + result.id() + "]"
                        + (Boolean.TRUE.equals(result.isError()) ? " failed: " : ": ") + result.text());
            }
            case CUSTOM -> new ConversationMessage("custom", json, ((CustomMessage) message).attributes().toString());
        };
    }

    private static String describe(List<Content> contents) {
        StringBuilder text = new StringBuilder();
        for (Content content : contents) {
            text.append(text.length() == 0 ? "" : " ").append(content instanceof TextContent t ? t.text()
                    : "[" + content.type().name().toLowerCase() + "]");
        }
        return text.toString();
    }

    private static String describe(AiMessage message) {
        StringBuilder text = new StringBuilder(message.text() == null ? "" : message.text());
        for (ToolExecutionRequest request : message.toolExecutionRequests()) {
            text.append(text.length() == 0 ? "" : "\n").append("calls ").append(request.name()).append('(')
                    .append(request.arguments()).append(") [").append(request.id()).append(']');
        }
        return text.toString();
    }
}
