package dev.cairn.goals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The task graphs of goals. Graph writes are validated as a whole before anything is written: a task of another
 * goal, a duplicate id, a dependency on an unknown task or a cycle refuses the whole batch with
 * {@link dev.cairn.InvalidInputException}.
 */
public interface TaskStore {
    /** Adds tasks to the goal's graph (they may depend on tasks already there), atomically. */
    List<Task> createBatch(String goalId, List<TaskSpec> tasks);

    /** Replaces the goal's whole graph with these tasks, atomically: readers see the old graph or the new one. */
    List<Task> replaceTaskGraph(String goalId, List<TaskSpec> tasks);

    /** The task, or {@link dev.cairn.NotFoundException}. */
    Task get(String goalId, String taskId);

    /** The goal's tasks in topological order (dependencies first; ties in the order they were added). */
    List<Task> byGoal(String goalId);

    /** Pending or ready tasks whose dependencies are all done, in the order they were added. */
    List<Task> readyTasks(String goalId);

    /**
     * Claims the first ready task for {@code owner} until {@code lease} has passed: marks it running, atomically, so
     * two workers (threads or processes) never get the same task. Empty when no task is ready, and while the goal is
     * paused or terminal.
     */
    Optional<Task> claimTask(String goalId, String owner, Duration lease);

    /** Claims this task if it is ready; empty if it is not (claimed by someone else, or its dependencies not done). */
    Optional<Task> claimTask(String goalId, String taskId, String owner, Duration lease);

    /**
     * Moves the task to {@code status}. {@code failed} sends it back to pending with one more retry counted while it
     * has retries left; done sets its completion time. {@code evidence} (may be null) is added to its evidence.
     */
    Task updateStatus(String goalId, String taskId, TaskStatus status, List<String> evidence);

    default Task updateStatus(String goalId, String taskId, TaskStatus status) {
        return updateStatus(goalId, taskId, status, null);
    }

    /**
     * Running tasks of the goal whose lease has run out are given up as a failed attempt: back to pending, unowned,
     * with one more retry counted, or failed when their retries are used up. Returns them as they are now.
     */
    List<Task> requeueExpired(String goalId);

    /** Deletes every task of the goal; returns how many. */
    int deleteByGoal(String goalId);
}
