package dev.cairn.events.orchestration;

import com.fasterxml.jackson.annotation.JsonValue;

/** Who wrote a message. */
public enum Role {
    USER("user"),
    ASSISTANT("assistant"),
    SYSTEM("system");

    private final String stored;

    Role(String stored) {
        this.stored = stored;
    }

    /** The stored name, used in payloads and projection rows. */
    @JsonValue
    @Override
    public String toString() {
        return stored;
    }

    /** The value of a stored name. */
    public static Role fromStored(String name) {
        return StoredNames.lookup(values(), name, "role");
    }
}
