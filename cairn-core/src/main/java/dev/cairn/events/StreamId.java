package dev.cairn.events;

import dev.cairn.InvalidInputException;

/**
 * The format of stream ids: {@code kind:id}, where the kind is lower-case ({@code [a-z][a-z0-9_-]{0,39}}) and the id is
 * 1 to 200 characters of {@code [A-Za-z0-9._:-]}, for example {@code thread:7f3a}, {@code goal:42},
 * {@code setting:model.default}. The kind says which aggregate the stream belongs to; nothing else is read into it.
 */
public final class StreamId {
    /** The rule as a regular expression, for messages and for the test that holds {@link #wellFormed} to it. */
    static final String FORMAT = "[a-z][a-z0-9_-]{0,39}:[A-Za-z0-9._:-]{1,200}";

    private StreamId() {}

    /** The stream id of an aggregate: {@code kind + ":" + id}, checked. */
    public static String of(String kind, String id) {
        return require(kind + ":" + id);
    }

    /** Returns the id when it is well-formed; throws {@link InvalidInputException} naming the rule otherwise. */
    public static String require(String streamId) {
        if (streamId == null || !wellFormed(streamId)) {
            throw new InvalidInputException("stream id '" + streamId + "' is not of the form kind:id (kind "
                    + "[a-z][a-z0-9_-]{0,39}, id 1-200 of [A-Za-z0-9._:-]), for example thread:7f3a");
        }
        return streamId;
    }

    /**
     * {@link #FORMAT}, checked character by character: every append checks its stream id, and a regular expression
     * with bounded repetition allocates and backtracks its way through each one.
     */
    static boolean wellFormed(String streamId) {
        int colon = streamId.indexOf(':');
        int idLength = streamId.length() - colon - 1;
        if (colon < 1 || colon > 40 || idLength < 1 || idLength > 200) {
            return false;
        }
        char first = streamId.charAt(0);
        if (first < 'a' || first > 'z') {
            return false;
        }
        for (int i = 1; i < colon; i++) {
            char c = streamId.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        for (int i = colon + 1; i < streamId.length(); i++) {
            char c = streamId.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The kind part of a well-formed stream id. */
    public static String kind(String streamId) {
        return streamId.substring(0, streamId.indexOf(':'));
    }

    /** The id part of a well-formed stream id. */
    public static String id(String streamId) {
        return streamId.substring(streamId.indexOf(':') + 1);
    }
}
