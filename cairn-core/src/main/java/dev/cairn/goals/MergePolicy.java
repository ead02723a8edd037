package dev.cairn.goals;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether delivered changes are merged: never, by a person, or automatically once the proof's gates pass. */
public enum MergePolicy {
    DISABLED,
    MANUAL,
    GATED;

    @JsonCreator
    public static MergePolicy of(String name) {
        return StoredNames.parse(MergePolicy.class, name);
    }

    /** The stored name, also used in JSON. */
    @JsonValue
    @Override
    public String toString() {
        return StoredNames.of(this);
    }
}
