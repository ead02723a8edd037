package dev.cairn.runs;

import dev.cairn.ConflictException;

/**
 * The code of a resumed or replayed run did not do what its record says it did at some position (see
 * {@link Divergence}). Nothing was recorded for that step; run the code the run was recorded with, or begin a new
 * run.
 */
public final class RunDivergenceException extends ConflictException {
    private final Divergence divergence;

    public RunDivergenceException(Divergence divergence) {
        super(divergence.describe() + ". Nothing was recorded for it; run the code the run was recorded with, or "
                + "begin a new run");
        this.divergence = divergence;
    }

    public Divergence divergence() {
        return divergence;
    }
}
