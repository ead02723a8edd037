package dev.cairn.goals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The goals of an agent runtime, with their task graphs, proofs, budgets, artifacts, decisions and slice leases.
 * Reached as {@code db.goals()} (each operation commits on its own) or {@code tx.goals()} (part of the transaction).
 *
 * <p>Every change appends an event to the goal's stream ({@code goal:ID}) in the same transaction, so the stream is
 * the goal's history. An operation that throws has changed nothing. Operations on a goal that does not exist throw
 * {@link dev.cairn.NotFoundException}; moves the status table forbids throw
 * {@link dev.cairn.IllegalTransitionException}.
 */
public interface GoalStore {
    /** How long a controller or lease may go without a heartbeat before it counts as gone: 30 seconds. */
    Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(30);

    /** Creates a goal in status {@code not_ready}; a goal with the same id is a {@link dev.cairn.ConflictException}. */
    Goal create(GoalSpec spec);

    /** The goal, or {@link dev.cairn.NotFoundException}. */
    Goal get(String goalId);

    Optional<Goal> find(String goalId);

    /** Goals newest first, with their task counts and latest budget checkpoint. */
    List<GoalSummary> list(GoalFilter filter);

    /**
     * Moves the goal to {@code status} and {@code phase} (null: keep the phase) if it is still at
     * {@code expectedVersion}; a stale version is a {@link dev.cairn.ConflictException}. Terminal statuses set the
     * completion time.
     */
    Goal updateStatus(String goalId, long expectedVersion, GoalStatus status, GoalPhase phase);

    /** Moves a non-terminal goal to another phase (any direction: re-planning goes back). */
    Goal updatePhase(String goalId, GoalPhase phase);

    /** Any non-terminal goal that is not paused: to {@code paused}. */
    Goal pause(String goalId);

    /** {@code paused} to {@code not_ready}. */
    Goal resume(String goalId);

    /** Any non-terminal goal to {@code cancelled}, recording the reason as its failure. */
    Goal cancel(String goalId, String reason);

    /** To {@code running}, from a status that may start (see {@link GoalStatus#next()}). */
    Goal start(String goalId);

    /** {@code running} to {@code not_ready}. */
    Goal stop(String goalId);

    /** To {@code needs_more_budget}. */
    Goal budgetExhausted(String goalId);

    /** Delivery's verdict: {@code ready} (terminal) when the goal is ready, else {@code blocked_on_human}. */
    Goal deliver(String goalId, boolean ready);

    /** To {@code failed_infra} or another status, recording why as the goal's failure (a JSON object). */
    Goal fail(String goalId, GoalStatus status, String failureJson);

    /**
     * Makes {@code pid} the goal's controller if no live controller holds it, atomically (across processes too).
     * A controller is live when its pid is recorded, differs from {@code pid}, names a running process on this host,
     * and heartbeat within {@code staleAfter}. Returns whether {@code pid} controls the goal now; claiming a goal
     * {@code pid} already controls only refreshes its heartbeat.
     */
    boolean claimController(String goalId, long pid, Duration staleAfter);

    default boolean claimController(String goalId, long pid) {
        return claimController(goalId, pid, DEFAULT_STALE_AFTER);
    }

    /** Gives up control if {@code pid} has it; returns whether it had. Never takes control from another pid. */
    boolean releaseController(String goalId, long pid);

    /** Records that controller {@code pid} is alive; a {@link dev.cairn.ConflictException} if it lost control. */
    Goal heartbeat(String goalId, long pid);

    /** Goals in status {@code running}, oldest first. */
    List<Goal> listRunning();

    /**
     * Running goals that nobody controls: no controller pid, a pid that names no live process on this host, or a
     * heartbeat older than {@code staleAfter}.
     */
    List<Goal> listOrphaned(Duration staleAfter);

    /**
     * Deletes the goal with its tasks, proof, budget checkpoints, artifacts, decisions, leases and event stream;
     * a missing goal is a {@link dev.cairn.NotFoundException}.
     */
    void delete(String goalId);

    TaskStore tasks();

    ProofStore proofs();

    BudgetStore budgets();

    ArtifactStore artifacts();

    DecisionStore decisions();

    LeaseStore leases();
}
