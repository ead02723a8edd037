package dev.cairn.conversations;

import java.util.List;

/**
 * The visible window of a conversation, in order, and the version of its stream when it was read (-1: no stream).
 * Pass the version back to {@link Conversations#sync} so that messages others added since are not taken as removed.
 */
public record ConversationWindow(List<ConversationMessage> messages, long version) {
    public ConversationWindow {
        messages = List.copyOf(messages);
    }
}
