package dev.cairn.goals;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a task stands; stored by its lower-case name. {@link #DONE}, {@link #FAILED} (retries used up) and
 * {@link #CANCELLED} are final. A task that fails while it has retries left goes back to {@link #PENDING}.
 */
public enum TaskStatus {
    PENDING,
    READY,
    RUNNING,
    BLOCKED,
    DONE,
    FAILED,
    CANCELLED;

    @JsonCreator
    public static TaskStatus of(String name) {
        return StoredNames.parse(TaskStatus.class, name);
    }

    public boolean isFinal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }

    /** The statuses a task in this status may be moved to; empty for the final ones. */
    public Set<TaskStatus> next() {
        return switch (this) {
            // Work may be recorded done without a claim (a controller that did it itself), as omk did.
            case PENDING -> EnumSet.of(READY, RUNNING, BLOCKED, DONE, CANCELLED);
            case READY -> EnumSet.of(PENDING, RUNNING, BLOCKED, DONE, CANCELLED);
            // Back to pending is giving a claim up; failed is decided by the retry count (see TaskStore).
            case RUNNING -> EnumSet.of(PENDING, BLOCKED, DONE, FAILED, CANCELLED);
            case BLOCKED -> EnumSet.of(PENDING, READY, DONE, CANCELLED);
            case DONE, FAILED, CANCELLED -> EnumSet.noneOf(TaskStatus.class);
        };
    }

    public boolean canMoveTo(TaskStatus target) {
        return next().contains(target);
    }

    /** The stored name, also used in JSON. */
    @JsonValue
    @Override
    public String toString() {
        return StoredNames.of(this);
    }
}
