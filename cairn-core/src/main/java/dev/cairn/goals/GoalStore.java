package dev.cairn.goals;

import dev.cairn.Owner;
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
    Duration DEFAULT_STALE_AFTER = Owner.DEFAULT_STALE_AFTER;

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
     * Makes {@code owner} the goal's controller unless another owner holds it alive, atomically (across processes
     * and hosts): the current controller is alive while its last heartbeat is at most {@code staleAfter} old on the
     * store's shared clock (on SQLite, where every owner runs on one host, also only while its process runs). A
     * takeover hands out a new fencing token, which voids the previous controller's claim. Empty when another owner
     * holds the goal; claiming a goal {@code owner} already holds returns its current claim, heartbeat.
     */
    Optional<ControllerClaim> claimController(String goalId, Owner owner, Duration staleAfter);

    /** {@link #claimController(String, Owner, Duration)} with the {@link #DEFAULT_STALE_AFTER default stale window}. */
    default Optional<ControllerClaim> claimController(String goalId, Owner owner) {
        return claimController(goalId, owner, DEFAULT_STALE_AFTER);
    }

    /**
     * Records that the claim's controller is alive, and returns the claim with its new heartbeat. Accepted while the
     * claim is current, even when its heartbeat had gone stale but nobody took the goal over yet; once another owner
     * took it over, or it was released, a {@link dev.cairn.StaleClaimException} naming who controls the goal now
     * (stop controlling it: its tasks and leases may be another's now). Not recorded on the goal's stream.
     */
    ControllerClaim heartbeat(ControllerClaim claim);

    /**
     * This store with every write to the claim's goal fenced by {@code claim}: for the controller's own changes (status
     * and phase moves, delivery, failure, its task graph, proof, budget checkpoints, artifacts, decisions, leases).
     * Each write first checks, in its own transaction and with the goal's row locked until it commits, that the claim
     * is still the goal's current control; once another owner took the goal over (or it was released) the write is a
     * {@link dev.cairn.StaleClaimException} naming who controls the goal now, and nothing is written. So a controller
     * that was frozen past the stale window (a GC pause, SIGSTOP) cannot move the goal after its takeover, even between
     * two heartbeats. A write to another goal through it, or one that may touch other goals
     * ({@link LeaseStore#expireStale}, creating a goal), is an {@link dev.cairn.InvalidInputException}. Reads pass
     * through. On {@code tx.goals()} the fenced writes take part in the transaction.
     */
    GoalStore fencedBy(ControllerClaim claim);

    /** Gives up control if the claim is still current; returns whether it was. Never takes control from another. */
    boolean releaseController(ControllerClaim claim);

    /**
     * Operator repair: gives up the goal's controller on behalf of one that is gone, so that another owner may claim
     * the goal at once. Gone means what {@link #listOrphaned} means: its last heartbeat is older than
     * {@code staleAfter} on the store's shared clock (on SQLite also: its process no longer runs). Its claim is void
     * from then on. A live controller, and a goal nobody controls, are a {@link dev.cairn.ConflictException} naming
     * what holds the goal; nothing is changed. {@code reason} is recorded on the goal's stream.
     */
    Goal releaseController(String goalId, Duration staleAfter, String reason);

    /**
     * Operator repair that overrides the liveness check: gives up the goal's controller even while it is alive (its
     * next heartbeat is refused, so it stops), and records the override as a {@link Decision} of {@code actor} with
     * {@code reason} as its rationale, in the same transaction. A goal nobody controls is a
     * {@link dev.cairn.ConflictException}; nothing is changed.
     */
    Goal forceReleaseController(String goalId, String actor, String reason);

    /** Goals in status {@code running}, oldest first. */
    List<Goal> listRunning();

    /**
     * Running goals no live controller holds: none, or one whose last heartbeat is older than {@code staleAfter} on
     * the store's shared clock (on SQLite also one whose process no longer runs). Any owner may take them over with
     * {@link #claimController}.
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
