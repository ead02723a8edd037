package dev.cairn.goals;

import java.util.List;

/** The decisions taken while working on goals, in the order they were taken. */
public interface DecisionStore {
    Decision append(String goalId, DecisionSpec decision);

    List<Decision> byGoal(String goalId);

    int deleteByGoal(String goalId);
}
