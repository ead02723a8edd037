package dev.cairn.events.orchestration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Whether a turn's checkpoint (a snapshot of the worktree) could be taken. */
public enum CheckpointStatus {
    READY("ready"),
    MISSING("missing"),
    ERROR("error");

    private final String storedName;

    CheckpointStatus(String storedName) {
        this.storedName = storedName;
    }

    /** The name stored in the database and in JSON; it never changes, so existing databases keep reading. */
    @JsonValue
    public String storedName() {
        return storedName;
    }

    /** The constant stored as {@code name}; an unknown name is refused with an {@link InvalidInputException}. */
    @JsonCreator
    public static CheckpointStatus fromStored(String name) {
        for (CheckpointStatus value : values()) {
            if (value.storedName.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not a checkpoint status; use one of "
                + Arrays.stream(values()).map(CheckpointStatus::storedName).collect(Collectors.joining(", ")));
    }

    /** The stored name, for display; persist with {@link #storedName()}. */
    @Override
    public String toString() {
        return storedName;
    }
}
