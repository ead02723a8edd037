package dev.cairn.goals;

import java.time.Instant;

/**
 * What a goal had used at one moment, against the budget it had then. Remaining amounts are derived (budget minus
 * use, never below zero); they are null where the goal has no limit of that kind.
 *
 * @param sequence the checkpoint's number; later checkpoints have larger numbers
 * @param status the goal's status when it was recorded
 * @param budget the goal's budget when it was recorded
 */
public record BudgetCheckpoint(long sequence, String goalId, String label, GoalStatus status, GoalPhase phase,
        Budget budget, long elapsedSeconds, long tokensUsed, Money spent, Instant recordedAt) {

    public Long remainingSeconds() {
        return budget.timeSeconds() == null ? null : Math.max(0, budget.timeSeconds() - elapsedSeconds);
    }

    public Long remainingTokens() {
        return budget.tokens() == null ? null : Math.max(0, budget.tokens() - tokensUsed);
    }

    public Money remainingMoney() {
        return budget.money() == null ? null : budget.money().minusOrZero(spent);
    }

    /** Whether any limit was reached: used at least as much as the budget allows. */
    public boolean exhausted() {
        return (budget.timeSeconds() != null && elapsedSeconds >= budget.timeSeconds())
                || (budget.tokens() != null && tokensUsed >= budget.tokens())
                || (budget.money() != null && spent.compareTo(budget.money()) >= 0);
    }
}
