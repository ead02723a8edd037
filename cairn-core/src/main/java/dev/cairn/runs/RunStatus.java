package dev.cairn.runs;

import java.util.Locale;

/** Where a run stands, derived from its steps: still going, or finished with or without a failed step. */
public enum RunStatus {
    /** Not finished yet, or a step of it is still running (a process that died mid-run leaves its run here). */
    RUNNING,
    /** Finished and no step failed. */
    SUCCESS,
    /** Finished with at least one failed step. */
    FAILED;

    /** The stored and printed name: {@code running}, {@code success}, {@code failed}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
