package dev.cairn.events.orchestration;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a thread's agent works: normally, or planning first. */
public enum InteractionMode {
    DEFAULT("default"),
    PLAN("plan");

    private final String stored;

    InteractionMode(String stored) {
        this.stored = stored;
    }

    /** The stored name, used in payloads and projection rows. */
    @JsonValue
    @Override
    public String toString() {
        return stored;
    }

    /** The value of a stored name. */
    public static InteractionMode fromStored(String name) {
        return StoredNames.lookup(values(), name, "interaction mode");
    }
}
