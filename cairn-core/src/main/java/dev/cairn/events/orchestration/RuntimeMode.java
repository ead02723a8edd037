package dev.cairn.events.orchestration;

import com.fasterxml.jackson.annotation.JsonValue;

/** How freely a thread's agent may act: asking for approval, or with full access. */
public enum RuntimeMode {
    APPROVAL_REQUIRED("approval-required"),
    FULL_ACCESS("full-access");

    private final String stored;

    RuntimeMode(String stored) {
        this.stored = stored;
    }

    /** The stored name, used in payloads and projection rows. */
    @JsonValue
    @Override
    public String toString() {
        return stored;
    }

    /** The value of a stored name. */
    public static RuntimeMode fromStored(String name) {
        return StoredNames.lookup(values(), name, "runtime mode");
    }
}
