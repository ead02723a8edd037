package dev.cairn.goals;

import dev.cairn.Owner;
import java.time.Instant;
import java.util.Map;

/**
 * One goal in a list: its state, how many of its tasks are in each status, and its latest budget checkpoint.
 *
 * @param controller the owner that controls it, or null (see {@link Goal#controller()})
 * @param heartbeatAt the controller's last heartbeat on the store's shared clock, or null
 * @param taskCounts the number of tasks in each status; statuses without tasks are absent
 * @param latestBudget the latest checkpoint, or null when none was recorded
 * @param cursor pass to {@link GoalFilter#after(String)} for the goals after this one
 */
public record GoalSummary(String id, String text, String kind, GoalStatus status, GoalPhase phase,
        Owner controller, Instant heartbeatAt, Instant createdAt, Instant updatedAt,
        Map<TaskStatus, Integer> taskCounts, BudgetCheckpoint latestBudget, String cursor) {
    public GoalSummary {
        taskCounts = Map.copyOf(taskCounts);
    }

    public int taskCount() {
        return taskCounts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
