package dev.cairn.events.orchestration;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a turn's checkpoint (a snapshot of the worktree) could be taken. */
public enum CheckpointStatus {
    READY("ready"),
    MISSING("missing"),
    ERROR("error");

    private final String stored;

    CheckpointStatus(String stored) {
        this.stored = stored;
    }

    /** The stored name, used in payloads and projection rows. */
    @JsonValue
    @Override
    public String toString() {
        return stored;
    }

    /** The value of a stored name. */
    public static CheckpointStatus fromStored(String name) {
        return StoredNames.lookup(values(), name, "checkpoint status");
    }
}
