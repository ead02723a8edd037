package dev.cairn.events.orchestration;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;

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
        for (Role value : values()) {
            if (value.stored.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not a role; use one of " + java.util.Arrays.toString(values()));
    }
}
