package dev.cairn.runs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Where a run stands, derived from its steps: still going, or finished with or without a failed step. */
public enum RunStatus {
    /** Not finished yet, or a step of it is still running (a process that died mid-run leaves its run here). */
    RUNNING("running"),
    /** Finished and no step failed. */
    SUCCESS("success"),
    /** Finished with at least one failed step. */
    FAILED("failed");

    private final String storedName;

    RunStatus(String storedName) {
        this.storedName = storedName;
    }

    /** The name stored in the database and in JSON; it never changes, so existing databases keep reading. */
    @JsonValue
    public String storedName() {
        return storedName;
    }

    /** The constant stored as {@code name}; an unknown name is refused with an {@link InvalidInputException}. */
    @JsonCreator
    public static RunStatus fromStored(String name) {
        for (RunStatus value : values()) {
            if (value.storedName.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not a run status; use one of "
                + Arrays.stream(values()).map(RunStatus::storedName).collect(Collectors.joining(", ")));
    }

    /** The stored name, for display; persist with {@link #storedName()}. */
    @Override
    public String toString() {
        return storedName;
    }
}
