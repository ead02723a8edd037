package dev.cairn.goals;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a task stands; stored by its lower-case name. {@link #DONE}, {@link #FAILED} (retries used up) and
 * {@link #CANCELLED} are final. A task that fails while it has retries left goes back to {@link #PENDING}.
 */
public enum TaskStatus {
    PENDING("pending"),
    READY("ready"),
    RUNNING("running"),
    BLOCKED("blocked"),
    DONE("done"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String storedName;

    TaskStatus(String storedName) {
        this.storedName = storedName;
    }

    /** The name stored in the database and in JSON; it never changes, so existing databases keep reading. */
    @JsonValue
    public String storedName() {
        return storedName;
    }

    /** The constant stored as {@code name}; an unknown name is refused with an {@link InvalidInputException}. */
    @JsonCreator
    public static TaskStatus fromStored(String name) {
        for (TaskStatus value : values()) {
            if (value.storedName.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not a task status; use one of "
                + Arrays.stream(values()).map(TaskStatus::storedName).collect(Collectors.joining(", ")));
    }

    /** The stored name, for display; persist with {@link #storedName()}. */
    @Override
    public String toString() {
        return storedName;
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
}
