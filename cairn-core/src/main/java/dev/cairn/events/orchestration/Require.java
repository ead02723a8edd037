package dev.cairn.events.orchestration;

import dev.cairn.InvalidInputException;
import java.util.List;
import java.util.regex.Pattern;

/** The checks the event records make when built, so that a malformed event fails before it is appended. */
final class Require {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private Require() {}

    /** An id that can be part of a stream id: 1-200 of {@code [A-Za-z0-9._:-]}. */
    static String id(String value, String name) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new InvalidInputException(name + " must be 1-200 of [A-Za-z0-9._:-], was '" + value + "'");
        }
        return value;
    }

    /** An optional id: null, or as {@link #id}. */
    static String optionalId(String value, String name) {
        return value == null ? null : id(value, name);
    }

    static <T> T present(T value, String name) {
        if (value == null) {
            throw new InvalidInputException(name + " is required");
        }
        return value;
    }

    static String text(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(name + " is required and must not be blank");
        }
        return value;
    }

    static List<String> list(List<String> values, String name) {
        if (values == null) {
            return List.of();
        }
        for (String value : values) {
            present(value, "each of " + name);
        }
        return List.copyOf(values);
    }
}
