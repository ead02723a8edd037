package dev.cairn.goals;

import dev.cairn.InvalidInputException;

/**
 * What a goal has used so far, as reported at a checkpoint: totals since the goal began, not increments.
 *
 * @param label what the checkpoint marks, for example {@code after-planning}
 * @param elapsedSeconds wall-clock seconds used
 * @param tokensUsed model tokens used
 * @param spent the estimated cost so far
 */
public record BudgetUse(String label, long elapsedSeconds, long tokensUsed, Money spent) {
    public BudgetUse {
        if (label == null || label.isBlank()) {
            throw new InvalidInputException("a budget checkpoint needs a label");
        }
        if (elapsedSeconds < 0 || tokensUsed < 0) {
            throw new InvalidInputException("budget checkpoint '" + label + "': time and tokens used cannot be "
                    + "negative, were " + elapsedSeconds + " s and " + tokensUsed + " tokens");
        }
        spent = spent == null ? Money.ZERO : spent;
    }
}
