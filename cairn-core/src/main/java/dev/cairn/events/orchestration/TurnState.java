package dev.cairn.events.orchestration;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;

/** Where a turn is: requested, running, interrupted, completed, or ended in an error. */
public enum TurnState {
    REQUESTED("requested"),
    RUNNING("running"),
    INTERRUPTED("interrupted"),
    COMPLETED("completed"),
    ERROR("error");

    private final String stored;

    TurnState(String stored) {
        this.stored = stored;
    }

    /** The stored name, used in payloads and projection rows. */
    @JsonValue
    @Override
    public String toString() {
        return stored;
    }

    /** The value of a stored name. */
    public static TurnState fromStored(String name) {
        for (TurnState value : values()) {
            if (value.stored.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not a turn state; use one of " + java.util.Arrays.toString(values()));
    }
}
