package dev.cairn.events;

import dev.cairn.InvalidInputException;
import java.util.regex.Pattern;

/**
 * The format of stream ids: {@code kind:id}, where the kind is lower-case ({@code [a-z][a-z0-9_-]{0,39}}) and the id is
 * 1 to 200 characters of {@code [A-Za-z0-9._:-]}, for example {@code thread:7f3a}, {@code goal:42},
 * {@code setting:model.default}. The kind says which aggregate the stream belongs to; nothing else is read into it.
 */
public final class StreamId {
    private static final Pattern FORMAT = Pattern.compile("[a-z][a-z0-9_-]{0,39}:[A-Za-z0-9._:-]{1,200}");

    private StreamId() {}

    /** The stream id of an aggregate: {@code kind + ":" + id}, checked. */
    public static String of(String kind, String id) {
        return require(kind + ":" + id);
    }

    /** Returns the id when it is well-formed; throws {@link InvalidInputException} naming the rule otherwise. */
    public static String require(String streamId) {
        if (streamId == null || !FORMAT.matcher(streamId).matches()) {
            throw new InvalidInputException("stream id '" + streamId + "' is not of the form kind:id (kind "
                    + "[a-z][a-z0-9_-]{0,39}, id 1-200 of [A-Za-z0-9._:-]), for example thread:7f3a");
        }
        return streamId;
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
