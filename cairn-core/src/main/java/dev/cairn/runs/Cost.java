package dev.cairn.runs;

import dev.cairn.InvalidInputException;

/**
 * What one recorded call cost: model tokens and money in cents. When the run names a goal, the call adds it to the
 * goal's budget as a checkpoint.
 */
public record Cost(long tokens, long cents) {
    public Cost {
        if (tokens < 0 || cents < 0) {
            throw new InvalidInputException("a call's cost cannot be negative, was " + tokens + " tokens and " + cents
                    + " cents");
        }
    }

    /** A call that used model tokens only. */
    public static Cost tokens(long tokens) {
        return new Cost(tokens, 0);
    }
}
