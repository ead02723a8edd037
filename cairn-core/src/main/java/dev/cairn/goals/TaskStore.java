package dev.cairn.goals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The task graphs of goals. Graph writes are validated as a whole before anything is written: a task of another
 * goal, a duplicate id, a dependency on an unknown task or a cycle refuses the whole batch with
 * {@link dev.cairn.InvalidInputException}.
 *
 * <p>A running task belongs to the {@link TaskClaim} that made it run: only that claim's token can heartbeat it,
 * complete it, fail it or give it back, and only while it is current. Lease expiry ({@link #requeueExpired}) and an
 * operator's {@link #resetTask} void the token, so a worker that was presumed gone cannot overwrite the work of the
 * one that took the task over. Leases are timed by the store's shared clock
 * ({@link dev.cairn.Repositories#sharedNow()}), so workers on hosts whose clocks differ are judged alike. Once the
 * task or its goal is deleted, a claim on it is a {@link dev.cairn.NotFoundException}.
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
     * Claims the first ready task for {@code owner} until {@code lease} has passed: marks it running under a new
     * fencing token, atomically, so two workers (threads or processes) never get the same task. Empty when no task is
     * ready, and while the goal is paused or terminal. Only the returned claim can end the task's run.
     */
    Optional<TaskClaim> claimTask(String goalId, String owner, Duration lease);

    /** Claims this task if it is ready; empty if it is not (claimed by someone else, or its dependencies not done). */
    Optional<TaskClaim> claimTask(String goalId, String taskId, String owner, Duration lease);

    /**
     * Extends the claim's lease to {@code lease} from now and records that its worker is alive. Accepted while the
     * claim is current, even when its lease has already run out but nobody has requeued the task yet; refused with
     * {@link dev.cairn.StaleClaimException} once it was requeued, reset or ended (stop working on it). Returns the
     * claim with its new lease expiry. Not recorded on the goal's stream: it changes no owner, only liveness.
     */
    TaskClaim heartbeat(TaskClaim claim, Duration lease);

    /**
     * Marks the claimed task done, adding {@code evidence} (may be null) to its evidence. A claim that is no longer
     * current is a {@link dev.cairn.StaleClaimException} naming who holds the task now; nothing is changed.
     */
    Task complete(TaskClaim claim, List<String> evidence);

    /**
     * Records a failed attempt: the task goes back to pending, unowned, with one more retry counted while
     * {@code retry_count < max_retries}, and stays failed after that; {@code evidence} (may be null) is added. A stale
     * claim is a {@link dev.cairn.StaleClaimException}, as for {@link #complete}.
     */
    Task fail(TaskClaim claim, List<String> evidence);

    /**
     * Gives the task back: pending and unowned, without counting a retry (the worker could not start it, e.g. its
     * paths are leased by someone else). A stale claim is a {@link dev.cairn.StaleClaimException}.
     */
    Task release(TaskClaim claim);

    /**
     * Operator repair: moves a running or failed task back to pending, unowned, keeping its retry count; a running
     * task's claim is voided, so the worker that held it is refused from then on. {@code reason} is recorded on the
     * goal's stream. A task in another status is an {@link dev.cairn.IllegalTransitionException}; nothing is changed.
     */
    Task resetTask(String goalId, String taskId, String reason);

    /**
     * Moves a task that no claim holds: between pending, ready and blocked, or to done (work recorded without a
     * claim) or cancelled. Moves into and out of running belong to claims ({@link #claimTask}, {@link #complete},
     * {@link #fail}, {@link #release}), lease expiry and {@link #resetTask}; asked here they are an
     * {@link dev.cairn.IllegalTransitionException}, as is any move {@link TaskStatus#next()} does not allow.
     * {@code evidence} (may be null) is added to the task's evidence; done sets its completion time.
     */
    Task updateStatus(String goalId, String taskId, TaskStatus status, List<String> evidence);

    default Task updateStatus(String goalId, String taskId, TaskStatus status) {
        return updateStatus(goalId, taskId, status, null);
    }

    /**
     * Running tasks of the goal whose lease has run out are given up as a failed attempt: back to pending, unowned,
     * with one more retry counted, or failed when their retries are used up; their claims are void from then on.
     * Returns them as they are now.
     */
    List<Task> requeueExpired(String goalId);

    /** Deletes every task of the goal; returns how many. */
    int deleteByGoal(String goalId);
}
