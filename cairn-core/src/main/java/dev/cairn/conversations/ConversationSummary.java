package dev.cairn.conversations;

import java.time.Instant;

/**
 * A conversation as a listing shows it.
 *
 * @param conversationId the id the framework gave it
 * @param streamId the event stream that holds it
 * @param messages how many messages it has ever had
 * @param visible how many of them are in the window
 * @param startedAt when its first message was stored
 * @param lastActivityAt when it last changed
 */
public record ConversationSummary(String conversationId, String streamId, long messages, long visible,
        Instant startedAt, Instant lastActivityAt) {}
