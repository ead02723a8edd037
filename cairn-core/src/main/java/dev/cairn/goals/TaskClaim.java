package dev.cairn.goals;

import java.time.Instant;
import java.util.Objects;

/**
 * A worker's hold on one running task, as {@link TaskStore#claimTask} hands it out. Its {@code token} fences the
 * task: {@link TaskStore#complete}, {@link TaskStore#fail}, {@link TaskStore#release} and
 * {@link TaskStore#heartbeat} act only while the token is still the task's current one. It stops being current when
 * the lease runs out and the task is requeued, when an operator resets the task, or when the claim itself ends the
 * task's run; from then on every use of it is a {@link dev.cairn.StaleClaimException} that changes nothing.
 *
 * @param task the task as the claim (or its last heartbeat) left it: running, owned by {@link #owner()}
 * @param token the opaque fencing token of this claim; it is not readable from the task, so keep the claim with the
 *     work it fences (a worker that loses it can only wait for the lease to run out, or for an operator reset)
 */
public record TaskClaim(Task task, String token) {
    public TaskClaim {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(token, "token");
    }

    public String goalId() {
        return task.goalId();
    }

    public String taskId() {
        return task.id();
    }

    /** Who claimed the task. */
    public String owner() {
        return task.owner();
    }

    /** When the claim runs out unless {@link TaskStore#heartbeat} extends it. */
    public Instant leaseExpiresAt() {
        return task.leaseExpiresAt();
    }

    @Override
    public String toString() {
        return "claim " + token + " of task " + taskId() + " of goal " + goalId() + " by " + owner();
    }
}
