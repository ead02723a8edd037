package dev.cairn.goals;

import java.util.List;
import java.util.Optional;

/** The budget checkpoints of goals: what each had used, over time, against its budget. */
public interface BudgetStore {
    /**
     * Records a checkpoint against the goal's current budget. With {@code moveGoalWhenExhausted}, a checkpoint that
     * reaches a limit also moves the goal to {@code needs_more_budget} in the same transaction, when its status
     * allows that move (a paused goal stays paused).
     */
    BudgetCheckpoint append(String goalId, BudgetUse use, boolean moveGoalWhenExhausted);

    default BudgetCheckpoint append(String goalId, BudgetUse use) {
        return append(goalId, use, false);
    }

    /** The goal's checkpoints, oldest first. */
    List<BudgetCheckpoint> byGoal(String goalId);

    Optional<BudgetCheckpoint> latest(String goalId);

    int deleteByGoal(String goalId);
}
