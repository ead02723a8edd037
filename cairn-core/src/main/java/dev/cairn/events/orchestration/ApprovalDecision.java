package dev.cairn.events.orchestration;

import com.fasterxml.jackson.annotation.JsonValue;

/** The answer to an approval request: accept once, accept for the session, decline, or cancel the turn. */
public enum ApprovalDecision {
    ACCEPT("accept"),
    ACCEPT_FOR_SESSION("acceptForSession"),
    DECLINE("decline"),
    CANCEL("cancel");

    private final String stored;

    ApprovalDecision(String stored) {
        this.stored = stored;
    }

    /** The stored name, used in payloads and projection rows. */
    @JsonValue
    @Override
    public String toString() {
        return stored;
    }

    /** The value of a stored name. */
    public static ApprovalDecision fromStored(String name) {
        return StoredNames.lookup(values(), name, "approval decision");
    }
}
