package dev.cairn.conversations;

import dev.cairn.InvalidInputException;

/**
 * One message of a conversation as the store keeps it: the framework's own serialized form, stored exactly as given,
 * with its role and a short text for transcripts. Two messages are the same message when their contents are equal.
 *
 * @param role who said it, for transcripts: {@code system}, {@code user}, {@code assistant}, {@code tool} or another
 *     word the framework uses
 * @param content the serialized message, any length (content over {@link Conversations#CHUNK_CHARS} characters is
 *     stored in several events and read back whole)
 * @param summary what a transcript shows for it (its text, its tool calls); null to show the content; cut to
 *     {@link #MAX_SUMMARY_CHARS} characters
 */
public record ConversationMessage(String role, String content, String summary) {
    /** The longest summary kept; a longer one is cut and ends with an ellipsis. */
    public static final int MAX_SUMMARY_CHARS = 4_000;

    public ConversationMessage {
        if (role == null || role.isBlank() || role.length() > 40) {
            throw new InvalidInputException("the role of a conversation message is 1-40 characters, for example user, "
                    + "was " + (role == null ? "null" : "'" + role + "'"));
        }
        if (content == null) {
            throw new InvalidInputException("the content of a " + role + " message is null; pass its serialized form");
        }
        if (summary != null && summary.length() > MAX_SUMMARY_CHARS) {
            int end = MAX_SUMMARY_CHARS - 1;
            if (Character.isHighSurrogate(summary.charAt(end - 1))) {
                end--;
            }
            summary = summary.substring(0, end) + "…";
        }
    }

    /** A message whose transcript shows its content. */
    public static ConversationMessage of(String role, String content) {
        return new ConversationMessage(role, content, null);
    }

    /** What a transcript shows: the summary, or the content when there is none. */
    public String transcriptText() {
        return summary != null ? summary : content;
    }
}
