package dev.cairn.goals.internal;

import dev.cairn.Owner;
import dev.cairn.goals.Artifact;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.Decision;
import dev.cairn.goals.Goal;
import dev.cairn.goals.Proof;
import dev.cairn.goals.SliceLease;
import dev.cairn.goals.Task;
import dev.cairn.events.EventData;
import dev.cairn.events.EventLog;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.internal.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place goal changes become events on the goal's stream ({@code goal:ID}). Each method is called inside the
 * write that makes the change, on the event log of the same session: the append nests in that write, runs on its
 * connection, and commits (or rolls back) with it.
 *
 * <p>Heartbeats of controllers, slice leases and task claims are not recorded: they are liveness, not state (a task
 * heartbeat moves its lease forward but changes no owner), and one every few seconds per worker would bury the goal's
 * history. What a heartbeat left behind shows in the row (lease expiry, last heartbeat) and, when the lease runs out
 * anyway, in the task's {@code goal.task-lease-expired} event.
 */
final class GoalEvents {
    private final EventLog log;

    GoalEvents(EventLog log) {
        this.log = log;
    }

    void created(Goal goal) {
        emit(goal.id(), "goal.created", goal);
    }

    void statusChanged(Goal before, Goal after, String transition) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("transition", transition);
        payload.put("from", before.status().storedName());
        payload.put("to", after.status().storedName());
        payload.put("phase", after.phase().storedName());
        payload.put("failure", after.failure());
        payload.put("version", after.version());
        emit(after.id(), "goal.status-changed", payload);
    }

    void phaseChanged(Goal before, Goal after) {
        emit(after.id(), "goal.phase-changed", Map.of("from", before.phase().storedName(), "to",
                after.phase().storedName(), "version", after.version()));
    }

    /**
     * {@code claim} is the new controller's fencing token; {@code previous} and {@code previousClaim} the controller
     * it replaced (null when there was none), so the history shows every takeover and which claim it voided.
     */
    void controllerClaimed(Goal after, String claim, Owner previous, String previousClaim) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("owner", after.controller());
        payload.put("claim", claim);
        payload.put("previousOwner", previous);
        payload.put("previousClaim", previousClaim);
        payload.put("version", after.version());
        emit(after.id(), "goal.controller-claimed", payload);
    }

    void controllerReleased(Goal after, Owner owner, String claim) {
        emit(after.id(), "goal.controller-released", Map.of("owner", owner, "claim", claim, "version",
                after.version()));
    }

    /**
     * An operator released the controller {@code owner} on its behalf ({@code forced}: while it was alive); the
     * voided {@code claim} (null for a controller from before fencing tokens) and the operator's {@code reason}.
     */
    void controllerReleasedByOperator(Goal after, Owner owner, String claim, String reason, boolean forced) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("owner", owner);
        payload.put("claim", claim);
        payload.put("reason", reason);
        payload.put("forced", forced);
        payload.put("version", after.version());
        emit(after.id(), "goal.controller-released", payload);
    }

    void tasksAdded(String goalId, List<Task> tasks) {
        emit(goalId, "goal.tasks-added", Map.of("tasks", tasks));
    }

    void taskGraphReplaced(String goalId, List<String> removed, List<Task> tasks) {
        emit(goalId, "goal.task-graph-replaced", Map.of("removed", removed, "tasks", tasks));
    }

    /**
     * {@code claim} is the token of the claim the change starts or ends (null for a change no claim is part of), and
     * {@code claimOwner} its owner; {@code reason} is an operator's, for a reset. The token is recorded so that the
     * history shows which claim did what, and which one a reset or an expiry voided.
     */
    void taskChanged(Task before, Task after, String change, String claim, String claimOwner, String reason) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("task", after.id());
        payload.put("change", change);
        payload.put("from", before.status().storedName());
        payload.put("to", after.status().storedName());
        payload.put("owner", after.owner());
        if (claim != null) {
            payload.put("claim", claim);
            payload.put("claimOwner", claimOwner);
        }
        if (reason != null) {
            payload.put("reason", reason);
        }
        payload.put("retryCount", after.retryCount());
        payload.put("leaseExpiresAt", after.leaseExpiresAt());
        payload.put("evidence", after.evidence());
        emit(after.goalId(), "goal.task-" + change, payload);
    }

    void tasksDeleted(String goalId, int count) {
        emit(goalId, "goal.tasks-deleted", Map.of("count", count));
    }

    void proofUpserted(Proof proof) {
        emit(proof.goalId(), "goal.proof-recorded", proof);
    }

    void proofDeleted(String goalId) {
        emit(goalId, "goal.proof-deleted", Map.of());
    }

    void budgetRecorded(BudgetCheckpoint checkpoint) {
        emit(checkpoint.goalId(), "goal.budget-checkpoint", checkpoint);
    }

    void artifactRegistered(Artifact artifact) {
        emit(artifact.goalId(), "goal.artifact-registered", artifact);
    }

    void decisionRecorded(Decision decision) {
        emit(decision.goalId(), "goal.decision-recorded", decision);
    }

    /** {@code what} is the kind of record deleted in bulk: budget checkpoints, artifacts or decisions. */
    void recordsDeleted(String goalId, String what, int count) {
        emit(goalId, "goal." + what + "-deleted", Map.of("count", count));
    }

    void leaseClaimed(SliceLease lease) {
        emit(lease.goalId(), "goal.lease-claimed", lease);
    }

    void leaseReleased(SliceLease lease) {
        emit(lease.goalId(), "goal.lease-released", lease);
    }

    /** An operator released the lease whoever held it, for {@code reason}. */
    void leaseRevoked(SliceLease lease, String reason) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("lease", lease);
        payload.put("reason", reason);
        emit(lease.goalId(), "goal.lease-revoked", payload);
    }

    void leaseExpired(SliceLease lease) {
        emit(lease.goalId(), "goal.lease-expired", lease);
    }

    /** A deleted goal leaves no history behind: its stream goes with it. */
    void goalDeleted(String goalId) {
        log.deleteStream(Goal.streamId(goalId));
    }

    /**
     * Any version: each append runs inside the write that makes its change, and the log orders concurrent appends
     * (changes by a task's claim take no goal lock, so two of one goal may append at once).
     */
    private void emit(String goalId, String type, Object payload) {
        log.append(Goal.streamId(goalId), ExpectedVersion.any(), EventData.of(type, Json.write(payload)));
    }
}
