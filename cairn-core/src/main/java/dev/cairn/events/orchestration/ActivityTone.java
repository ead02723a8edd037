package dev.cairn.events.orchestration;

import com.fasterxml.jackson.annotation.JsonValue;

/** What kind of activity a thread shows: information, a tool call, an approval, an error. */
public enum ActivityTone {
    INFO("info"),
    TOOL("tool"),
    APPROVAL("approval"),
    ERROR("error");

    private final String stored;

    ActivityTone(String stored) {
        this.stored = stored;
    }

    /** The stored name, used in payloads and projection rows. */
    @JsonValue
    @Override
    public String toString() {
        return stored;
    }

    /** The value of a stored name. */
    public static ActivityTone fromStored(String name) {
        return StoredNames.lookup(values(), name, "activity tone");
    }
}
