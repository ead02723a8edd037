package dev.cairn.events.orchestration;

import com.fasterxml.jackson.annotation.JsonValue;

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
        return StoredNames.lookup(values(), name, "turn state");
    }
}
