package dev.cairn.runs;

import dev.cairn.InvalidInputException;
import java.util.Locale;

/** Where a step stands; every status but {@link #RUNNING} is final. */
public enum StepStatus {
    RUNNING,
    SUCCESS,
    FAILED,
    SKIPPED;

    /** The stored and printed name: {@code running}, {@code success}, {@code failed}, {@code skipped}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a stored name. */
    public static StepStatus of(String name) {
        for (StepStatus status : values()) {
            if (status.toString().equals(name)) {
                return status;
            }
        }
        throw new InvalidInputException("unknown step status '" + name + "': expected running, success, failed or "
                + "skipped");
    }
}
