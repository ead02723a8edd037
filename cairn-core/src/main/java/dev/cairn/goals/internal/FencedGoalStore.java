package dev.cairn.goals.internal;

import dev.cairn.InvalidInputException;
import dev.cairn.Owner;
import dev.cairn.goals.Artifact;
import dev.cairn.goals.ArtifactStore;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.BudgetStore;
import dev.cairn.goals.BudgetUse;
import dev.cairn.goals.ClaimResult;
import dev.cairn.goals.ControllerClaim;
import dev.cairn.goals.Decision;
import dev.cairn.goals.DecisionSpec;
import dev.cairn.goals.DecisionStore;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalFilter;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalSpec;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.GoalStore;
import dev.cairn.goals.GoalSummary;
import dev.cairn.goals.LeaseStore;
import dev.cairn.goals.Proof;
import dev.cairn.goals.ProofSpec;
import dev.cairn.goals.ProofStore;
import dev.cairn.goals.SliceLease;
import dev.cairn.goals.Task;
import dev.cairn.goals.TaskClaim;
import dev.cairn.goals.TaskSpec;
import dev.cairn.goals.TaskStatus;
import dev.cairn.goals.TaskStore;
import dev.cairn.internal.Session;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The goal store seen by one controller ({@link GoalStore#fencedBy}): every write to the claim's goal runs the
 * unfenced operation inside a write that first checks the claim ({@link SqlGoalStore#requireController}). The
 * operation's own write nests in that one (same connection, same transaction), so the check, the change and its event
 * commit together or not at all, and the goal's row stays locked from the check to the commit. Reads, and the
 * operations' SQL, are the unfenced store's.
 */
final class FencedGoalStore implements GoalStore {
    private final Session session;
    private final SqlGoalStore goals;
    private final ControllerClaim claim;

    FencedGoalStore(Session session, SqlGoalStore goals, ControllerClaim claim) {
        this.session = session;
        this.goals = goals;
        this.claim = claim;
    }

    /** Runs {@code change} of goal {@code goalId} if the claim is still current, in one write with the check. */
    private <T> T fenced(String goalId, Supplier<T> change) {
        requireClaimedGoal(goalId);
        return session.write(c -> {
            goals.requireController(c, claim);
            return change.get();
        });
    }

    private void requireClaimedGoal(String goalId) {
        if (!claim.goalId().equals(goalId)) {
            throw new InvalidInputException("goal " + goalId + " is not the goal of " + claim + ": a store fenced by a "
                    + "controller claim writes to goal " + claim.goalId() + " only. Nothing was changed; write to goal "
                    + goalId + " through a store fenced by its own controller claim");
        }
    }

    private InvalidInputException touchesOtherGoals(String what) {
        return new InvalidInputException(what + " may touch goals other than " + claim.goalId() + ", which a store "
                + "fenced by " + claim + " does not write. Nothing was changed; do it through the unfenced store");
    }

    @Override
    public Goal create(GoalSpec spec) {
        if (spec.id() == null) {
            throw touchesOtherGoals("creating a goal");
        }
        return fenced(spec.id(), () -> goals.create(spec));
    }

    @Override
    public Goal get(String goalId) {
        return goals.get(goalId);
    }

    @Override
    public Optional<Goal> find(String goalId) {
        return goals.find(goalId);
    }

    @Override
    public List<GoalSummary> list(GoalFilter filter) {
        return goals.list(filter);
    }

    @Override
    public Goal updateStatus(String goalId, long expectedVersion, GoalStatus status, GoalPhase phase) {
        return fenced(goalId, () -> goals.updateStatus(goalId, expectedVersion, status, phase));
    }

    @Override
    public Goal updatePhase(String goalId, GoalPhase phase) {
        return fenced(goalId, () -> goals.updatePhase(goalId, phase));
    }

    @Override
    public Goal pause(String goalId) {
        return fenced(goalId, () -> goals.pause(goalId));
    }

    @Override
    public Goal resume(String goalId) {
        return fenced(goalId, () -> goals.resume(goalId));
    }

    @Override
    public Goal cancel(String goalId, String reason) {
        return fenced(goalId, () -> goals.cancel(goalId, reason));
    }

    @Override
    public Goal start(String goalId) {
        return fenced(goalId, () -> goals.start(goalId));
    }

    @Override
    public Goal stop(String goalId) {
        return fenced(goalId, () -> goals.stop(goalId));
    }

    @Override
    public Goal budgetExhausted(String goalId) {
        return fenced(goalId, () -> goals.budgetExhausted(goalId));
    }

    @Override
    public Goal deliver(String goalId, boolean ready) {
        return fenced(goalId, () -> goals.deliver(goalId, ready));
    }

    @Override
    public Goal fail(String goalId, GoalStatus status, String failureJson) {
        return fenced(goalId, () -> goals.fail(goalId, status, failureJson));
    }

    @Override
    public Optional<ControllerClaim> claimController(String goalId, Owner owner, Duration staleAfter) {
        return fenced(goalId, () -> goals.claimController(goalId, owner, staleAfter));
    }

    @Override
    public ControllerClaim heartbeat(ControllerClaim other) {
        return fenced(other.goalId(), () -> goals.heartbeat(other));
    }

    @Override
    public boolean releaseController(ControllerClaim other) {
        return fenced(other.goalId(), () -> goals.releaseController(other));
    }

    @Override
    public Goal releaseController(String goalId, Duration staleAfter, String reason) {
        return fenced(goalId, () -> goals.releaseController(goalId, staleAfter, reason));
    }

    @Override
    public Goal forceReleaseController(String goalId, String actor, String reason) {
        return fenced(goalId, () -> goals.forceReleaseController(goalId, actor, reason));
    }

    /** A view fenced by {@code other} instead (not by both). */
    @Override
    public GoalStore fencedBy(ControllerClaim other) {
        return goals.fencedBy(other);
    }

    @Override
    public List<Goal> listRunning() {
        return goals.listRunning();
    }

    @Override
    public List<Goal> listOrphaned(Duration staleAfter) {
        return goals.listOrphaned(staleAfter);
    }

    @Override
    public void delete(String goalId) {
        fenced(goalId, () -> {
            goals.delete(goalId);
            return null;
        });
    }

    @Override
    public TaskStore tasks() {
        TaskStore tasks = goals.tasks();
        return new TaskStore() {
            @Override
            public List<Task> createBatch(String goalId, List<TaskSpec> specs) {
                return fenced(goalId, () -> tasks.createBatch(goalId, specs));
            }

            @Override
            public List<Task> replaceTaskGraph(String goalId, List<TaskSpec> specs) {
                return fenced(goalId, () -> tasks.replaceTaskGraph(goalId, specs));
            }

            @Override
            public Task get(String goalId, String taskId) {
                return tasks.get(goalId, taskId);
            }

            @Override
            public List<Task> byGoal(String goalId) {
                return tasks.byGoal(goalId);
            }

            @Override
            public List<Task> readyTasks(String goalId) {
                return tasks.readyTasks(goalId);
            }

            @Override
            public Optional<TaskClaim> claimTask(String goalId, String owner, Duration lease) {
                return fenced(goalId, () -> tasks.claimTask(goalId, owner, lease));
            }

            @Override
            public Optional<TaskClaim> claimTask(String goalId, String taskId, String owner, Duration lease) {
                return fenced(goalId, () -> tasks.claimTask(goalId, taskId, owner, lease));
            }

            @Override
            public TaskClaim heartbeat(TaskClaim task, Duration lease) {
                return fenced(task.goalId(), () -> tasks.heartbeat(task, lease));
            }

            @Override
            public Task complete(TaskClaim task, List<String> evidence) {
                return fenced(task.goalId(), () -> tasks.complete(task, evidence));
            }

            @Override
            public Task fail(TaskClaim task, List<String> evidence) {
                return fenced(task.goalId(), () -> tasks.fail(task, evidence));
            }

            @Override
            public Task release(TaskClaim task) {
                return fenced(task.goalId(), () -> tasks.release(task));
            }

            @Override
            public Task resetTask(String goalId, String taskId, String reason) {
                return fenced(goalId, () -> tasks.resetTask(goalId, taskId, reason));
            }

            @Override
            public Task updateStatus(String goalId, String taskId, TaskStatus status, List<String> evidence) {
                return fenced(goalId, () -> tasks.updateStatus(goalId, taskId, status, evidence));
            }

            @Override
            public List<Task> requeueExpired(String goalId) {
                return fenced(goalId, () -> tasks.requeueExpired(goalId));
            }

            @Override
            public int deleteByGoal(String goalId) {
                return fenced(goalId, () -> tasks.deleteByGoal(goalId));
            }
        };
    }

    @Override
    public ProofStore proofs() {
        ProofStore proofs = goals.proofs();
        return new ProofStore() {
            @Override
            public Proof upsert(String goalId, ProofSpec proof) {
                return fenced(goalId, () -> proofs.upsert(goalId, proof));
            }

            @Override
            public Optional<Proof> get(String goalId) {
                return proofs.get(goalId);
            }

            @Override
            public boolean delete(String goalId) {
                return fenced(goalId, () -> proofs.delete(goalId));
            }
        };
    }

    @Override
    public BudgetStore budgets() {
        BudgetStore budgets = goals.budgets();
        return new BudgetStore() {
            @Override
            public BudgetCheckpoint append(String goalId, BudgetUse use, boolean moveGoalWhenExhausted) {
                return fenced(goalId, () -> budgets.append(goalId, use, moveGoalWhenExhausted));
            }

            @Override
            public List<BudgetCheckpoint> byGoal(String goalId) {
                return budgets.byGoal(goalId);
            }

            @Override
            public Optional<BudgetCheckpoint> latest(String goalId) {
                return budgets.latest(goalId);
            }

            @Override
            public int deleteByGoal(String goalId) {
                return fenced(goalId, () -> budgets.deleteByGoal(goalId));
            }
        };
    }

    @Override
    public ArtifactStore artifacts() {
        ArtifactStore artifacts = goals.artifacts();
        return new ArtifactStore() {
            @Override
            public Artifact register(String goalId, String kind, String path, String mimeType, Long sizeBytes,
                    String sha256) {
                return fenced(goalId, () -> artifacts.register(goalId, kind, path, mimeType, sizeBytes, sha256));
            }

            @Override
            public List<Artifact> byGoal(String goalId) {
                return artifacts.byGoal(goalId);
            }

            @Override
            public List<Artifact> byGoal(String goalId, String kind) {
                return artifacts.byGoal(goalId, kind);
            }

            @Override
            public int deleteByGoal(String goalId) {
                return fenced(goalId, () -> artifacts.deleteByGoal(goalId));
            }
        };
    }

    @Override
    public DecisionStore decisions() {
        DecisionStore decisions = goals.decisions();
        return new DecisionStore() {
            @Override
            public Decision append(String goalId, DecisionSpec decision) {
                return fenced(goalId, () -> decisions.append(goalId, decision));
            }

            @Override
            public List<Decision> byGoal(String goalId) {
                return decisions.byGoal(goalId);
            }

            @Override
            public int deleteByGoal(String goalId) {
                return fenced(goalId, () -> decisions.deleteByGoal(goalId));
            }
        };
    }

    @Override
    public LeaseStore leases() {
        LeaseStore leases = goals.leases();
        return new LeaseStore() {
            @Override
            public ClaimResult tryClaim(String goalId, String sliceId, Owner owner, String ownerRole,
                    List<String> writeSet) {
                return fenced(goalId, () -> leases.tryClaim(goalId, sliceId, owner, ownerRole, writeSet));
            }

            @Override
            public SliceLease heartbeat(SliceLease lease) {
                return fenced(lease.goalId(), () -> leases.heartbeat(lease));
            }

            @Override
            public boolean release(SliceLease lease) {
                return fenced(lease.goalId(), () -> leases.release(lease));
            }

            /** The lease's goal is read in the write itself, so that it is the goal the revocation changes. */
            @Override
            public SliceLease revoke(long leaseId, String reason) {
                return session.write(c -> {
                    Optional<SliceLease> lease = leases.get(leaseId);
                    if (lease.isEmpty()) {
                        return leases.revoke(leaseId, reason); // not found: refused as the unfenced store refuses it
                    }
                    return fenced(lease.get().goalId(), () -> leases.revoke(leaseId, reason));
                });
            }

            @Override
            public List<SliceLease> expireStale(Duration staleAfter) {
                throw touchesOtherGoals("expiring stale slice leases");
            }

            @Override
            public Optional<SliceLease> get(long leaseId) {
                return leases.get(leaseId);
            }

            @Override
            public List<SliceLease> active(String goalId) {
                return leases.active(goalId);
            }

            @Override
            public List<SliceLease> active() {
                return leases.active();
            }
        };
    }
}
