package dev.cairn.goals;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Whether delivered changes are merged: never, by a person, or automatically once the proof's gates pass. */
public enum MergePolicy {
    DISABLED("disabled"),
    MANUAL("manual"),
    GATED("gated");

    private final String storedName;

    MergePolicy(String storedName) {
        this.storedName = storedName;
    }

    /** The name stored in the database and in JSON; it never changes, so existing databases keep reading. */
    @JsonValue
    public String storedName() {
        return storedName;
    }

    /** The constant stored as {@code name}; an unknown name is refused with an {@link InvalidInputException}. */
    @JsonCreator
    public static MergePolicy fromStored(String name) {
        for (MergePolicy value : values()) {
            if (value.storedName.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not a merge policy; use one of "
                + Arrays.stream(values()).map(MergePolicy::storedName).collect(Collectors.joining(", ")));
    }

    /** The stored name, for display; persist with {@link #storedName()}. */
    @Override
    public String toString() {
        return storedName;
    }
}
