package dev.cairn.goals.internal;

import dev.cairn.ConflictException;
import dev.cairn.IllegalTransitionException;
import dev.cairn.Ids;
import dev.cairn.InvalidInputException;
import dev.cairn.Owner;
import dev.cairn.StaleClaimException;
import dev.cairn.events.EventLog;
import dev.cairn.goals.ArtifactStore;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.BudgetStore;
import dev.cairn.goals.ControllerClaim;
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
import dev.cairn.goals.ProofStore;
import dev.cairn.goals.TaskStatus;
import dev.cairn.goals.TaskStore;
import dev.cairn.internal.Json;
import dev.cairn.internal.Liveness;
import dev.cairn.internal.Session;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The goal store on a session: the store's own (auto-commit) or a transaction's. */
public final class SqlGoalStore implements GoalStore {
    private final Session session;
    private final GoalEvents events;

    /** {@code events} must be the event log of the same session, so goal changes and their events commit together. */
    public SqlGoalStore(Session session, EventLog events) {
        this.session = session;
        this.events = new GoalEvents(events);
    }

    /** The store's clock, for the times a change writes; liveness is timed by {@link Session#sharedNow} instead. */
    Instant now() {
        return session.clock().instant();
    }

    @Override
    public Goal create(GoalSpec spec) {
        // All 32 hex digits: the timestamp alone is no id; the counter and the random bits make it one.
        String id = spec.id() != null ? spec.id() : "g-" + Ids.next().toString().replace("-", "");
        if (spec.terminalCriteria() != null) {
            Json.tree(spec.terminalCriteria());
        }
        return session.write(c -> {
            if (GoalTable.exists(c, id)) {
                throw alreadyExists(id);
            }
            Instant now = now();
            Goal goal = new Goal(id, spec.originalText(), spec.normalizedText(), spec.kind(), spec.projectDir(),
                    GoalStatus.NOT_READY, spec.phase(), spec.deliveryPolicy(), spec.mergePolicy(), spec.untilReady(),
                    spec.sliceExecution(), spec.maxAgents(), spec.budget(), spec.terminalCriteria(), null, null, null,
                    now, now, null, 1);
            try {
                GoalTable.insert(c, goal);
            } catch (SQLException e) {
                // Another writer created the same id after the check above (writers run in parallel on PostgreSQL).
                if (session.dialect().isUniqueViolation(e)) {
                    throw alreadyExists(id);
                }
                throw e;
            }
            events.created(goal);
            return goal;
        });
    }

    private static ConflictException alreadyExists(String id) {
        return new ConflictException("goal " + id + " already exists; choose another id or update that goal");
    }

    @Override
    public Goal get(String goalId) {
        return session.read(c -> GoalTable.require(c, goalId));
    }

    @Override
    public Optional<Goal> find(String goalId) {
        return session.read(c -> GoalTable.find(c, goalId));
    }

    @Override
    public List<GoalSummary> list(GoalFilter filter) {
        return session.read(c -> {
            List<Goal> goals = GoalTable.list(c, filter);
            List<String> ids = goals.stream().map(Goal::id).toList();
            Map<String, Map<TaskStatus, Integer>> counts = TaskTable.countsByGoal(c, ids);
            Map<String, BudgetCheckpoint> budgets = SqlBudgetStore.latestByGoal(c, ids);
            List<GoalSummary> summaries = new ArrayList<>(goals.size());
            for (Goal g : goals) {
                summaries.add(new GoalSummary(g.id(), g.normalizedText(), g.kind(), g.status(), g.phase(),
                        g.controller(), g.heartbeatAt(), g.createdAt(), g.updatedAt(),
                        counts.getOrDefault(g.id(), Map.of()), budgets.get(g.id()), GoalTable.Cursor.of(g)));
            }
            return summaries;
        });
    }

    @Override
    public Goal updateStatus(String goalId, long expectedVersion, GoalStatus status, GoalPhase phase) {
        return session.write(c -> {
            Goal goal = GoalTable.lock(c, session.dialect(), goalId);
            if (goal.version() != expectedVersion) {
                throw new ConflictException("goal " + goalId + " is at version " + goal.version() + ", not "
                        + expectedVersion + ": it changed since you read it; re-read it and decide again");
            }
            if (status == goal.status()) {
                return phase == null ? goal : changePhase(c, goal, phase);
            }
            Goal moved = move(c, goal, status, "update", null);
            return phase == null || phase == moved.phase() ? moved : changePhase(c, moved, phase);
        });
    }

    @Override
    public Goal updatePhase(String goalId, GoalPhase phase) {
        return session.write(c -> changePhase(c, GoalTable.lock(c, session.dialect(), goalId), phase));
    }

    private Goal changePhase(Connection c, Goal goal, GoalPhase phase) throws SQLException {
        if (phase == goal.phase()) {
            return goal;
        }
        if (goal.status().isTerminal()) {
            throw new IllegalTransitionException(goal.id(), goal.phase().storedName(), phase.storedName(), "goal "
                    + goal.id() + " is " + goal.status() + ", which is final: its phase stays " + goal.phase()
                    + ". Nothing was changed");
        }
        Goal after = GoalTable.updateState(c, goal, with(goal, goal.status(), phase, goal.failure(),
                goal.completedAt()));
        events.phaseChanged(goal, after);
        return after;
    }

    @Override
    public Goal pause(String goalId) {
        return transition(goalId, "pause", null, GoalStatus.PAUSED, null);
    }

    @Override
    public Goal resume(String goalId) {
        return transition(goalId, "resume", EnumSet.of(GoalStatus.PAUSED), GoalStatus.NOT_READY, null);
    }

    @Override
    public Goal cancel(String goalId, String reason) {
        return transition(goalId, "cancel", null, GoalStatus.CANCELLED, Json.write(Map.of("reason",
                reason == null || reason.isBlank() ? "cancelled" : reason)));
    }

    @Override
    public Goal start(String goalId) {
        return transition(goalId, "start", null, GoalStatus.RUNNING, null);
    }

    @Override
    public Goal stop(String goalId) {
        return transition(goalId, "stop", EnumSet.of(GoalStatus.RUNNING), GoalStatus.NOT_READY, null);
    }

    @Override
    public Goal budgetExhausted(String goalId) {
        return transition(goalId, "budget-exhausted", null, GoalStatus.NEEDS_MORE_BUDGET, null);
    }

    @Override
    public Goal deliver(String goalId, boolean ready) {
        return transition(goalId, "deliver", null, ready ? GoalStatus.READY : GoalStatus.BLOCKED_ON_HUMAN, null);
    }

    @Override
    public Goal fail(String goalId, GoalStatus status, String failureJson) {
        if (failureJson == null || !Json.tree(failureJson).isObject()) {
            throw new InvalidInputException("the failure of goal " + goalId + " must be a JSON object, was "
                    + failureJson);
        }
        return transition(goalId, "fail", null, status, failureJson);
    }

    private Goal transition(String goalId, String name, Set<GoalStatus> from, GoalStatus to, String failure) {
        return session.write(c -> {
            Goal goal = GoalTable.lock(c, session.dialect(), goalId);
            if (from != null && !from.contains(goal.status())) {
                throw new IllegalTransitionException(goalId, goal.status().storedName(), to.storedName(), "goal " + goalId
                        + " is " + goal.status() + ": " + name + " applies only to a goal that is "
                        + from.stream().map(Object::toString).collect(Collectors.joining(" or "))
                        + ". Nothing was changed");
            }
            return move(c, goal, to, name, failure);
        });
    }

    /** Moves a goal it has read to another status, if the transition table allows it, and records the event. */
    Goal move(Connection c, Goal goal, GoalStatus to, String name, String failure) throws SQLException {
        if (!goal.status().canMoveTo(to)) {
            Set<GoalStatus> next = goal.status().next();
            throw new IllegalTransitionException(goal.id(), goal.status().storedName(), to.storedName(), "goal "
                    + goal.id() + ": cannot " + name + " (move from " + goal.status() + " to " + to + "); from "
                    + goal.status() + " it can move to " + (next.isEmpty() ? "nothing, it is final"
                            : next.stream().map(Object::toString).collect(Collectors.joining(", ")))
                    + ". Nothing was changed");
        }
        Goal after = GoalTable.updateState(c, goal, with(goal, to, goal.phase(),
                failure != null ? failure : goal.failure(), to.isTerminal() ? now() : null));
        events.statusChanged(goal, after, name);
        return after;
    }

    @Override
    public Optional<ControllerClaim> claimController(String goalId, Owner owner, Duration staleAfter) {
        requireOwner(owner, "claiming the controller of goal " + goalId);
        if (staleAfter == null || staleAfter.isNegative() || staleAfter.isZero()) {
            throw new InvalidInputException("claiming the controller of goal " + goalId + " needs a positive stale "
                    + "window, was " + staleAfter);
        }
        return session.write(c -> {
            Goal goal = GoalTable.lock(c, session.dialect(), goalId);
            Instant now = session.sharedNow(c);
            Owner holder = goal.controller();
            String held = GoalTable.controllerToken(c, goalId);
            if (holder != null && holder.id().equals(owner.id())) {
                GoalTable.heartbeat(c, goalId, held, now); // already ours: nothing changes hands
                return Optional.of(new ControllerClaim(goalId, holder, held, now));
            }
            if (holder != null && Liveness.live(holder, goal.heartbeatAt(), now, staleAfter,
                    session.dialect().oneHost())) {
                return Optional.empty();
            }
            // The goal's row is locked for this write (and on SQLite the write lock is held), and the version guards
            // it anyway: only one claimant can move the controller from what it read. The new token voids the old
            // controller's claim: its next heartbeat is refused.
            String token = Ids.next().toString();
            Goal after = GoalTable.updateController(c, goal, owner, token, now, now());
            events.controllerClaimed(after, token, holder, held);
            return Optional.of(new ControllerClaim(goalId, owner, token, now));
        });
    }

    @Override
    public ControllerClaim heartbeat(ControllerClaim claim) {
        return session.write(c -> {
            Instant now = session.sharedNow(c);
            if (GoalTable.heartbeat(c, claim.goalId(), claim.token(), now)) {
                return new ControllerClaim(claim.goalId(), claim.owner(), claim.token(), now);
            }
            throw staleController(GoalTable.require(c, claim.goalId()), claim, now);
        });
    }

    @Override
    public GoalStore fencedBy(ControllerClaim claim) {
        if (claim == null) {
            throw new InvalidInputException("fencing goal changes needs the controller claim that makes them; claim "
                    + "the goal with claimController first");
        }
        return new FencedGoalStore(session, this, claim);
    }

    /**
     * Refuses with a {@link StaleClaimException} a write of {@code claim}'s controller once the claim is void; run first
     * in the write's transaction, it leaves the goal's row locked until the write ends (see
     * {@link GoalTable#lockControlledBy}).
     */
    void requireController(Connection c, ControllerClaim claim) throws SQLException {
        if (!GoalTable.lockControlledBy(c, session.dialect(), claim.goalId(), claim.token())) {
            throw staleController(GoalTable.require(c, claim.goalId()), claim, session.sharedNow(c));
        }
    }

    /** Why {@code claim} no longer controls its goal, naming who does now and since when it was last heard from. */
    private static StaleClaimException staleController(Goal goal, ControllerClaim claim, Instant now) {
        String state = goal.controller() == null ? "nobody controls it now (it was released, or taken over and "
                + "released)" : "it is controlled by " + goal.controller() + " under a later claim, last heard from "
                + Duration.between(goal.heartbeatAt(), now).toMillis() + " ms ago";
        return new StaleClaimException(StaleClaimException.Claimed.CONTROLLER, goal.id(), goal.id(), claim.token(),
                claim + " is no longer current: " + state + ". Nothing was changed; stop controlling goal "
                        + goal.id() + " (its tasks and leases may be another owner's now) and claim it again");
    }

    @Override
    public boolean releaseController(ControllerClaim claim) {
        return session.write(c -> {
            Goal goal = GoalTable.lock(c, session.dialect(), claim.goalId());
            if (!claim.token().equals(GoalTable.controllerToken(c, claim.goalId()))) {
                return false;
            }
            Goal after = GoalTable.updateController(c, goal, null, null, null, now());
            events.controllerReleased(after, claim.owner(), claim.token());
            return true;
        });
    }

    @Override
    public Goal releaseController(String goalId, Duration staleAfter, String reason) {
        requireReason(reason, "releasing the controller of goal " + goalId);
        if (staleAfter == null || staleAfter.isNegative() || staleAfter.isZero()) {
            throw new InvalidInputException("releasing the controller of goal " + goalId + " needs a positive stale "
                    + "window, was " + staleAfter);
        }
        return session.write(c -> {
            Goal goal = lockControlled(c, goalId);
            Instant now = session.sharedNow(c);
            if (Liveness.live(goal.controller(), goal.heartbeatAt(), now, staleAfter, session.dialect().oneHost())) {
                throw new ConflictException("goal " + goalId + " is controlled by " + goal.controller() + " (host "
                        + goal.controller().host() + ", pid " + goal.controller().pid() + "), alive: last heard from "
                        + Duration.between(goal.heartbeatAt(), now).toMillis() + " ms ago, within the stale window of "
                        + staleAfter.toMillis() + " ms. Nothing was changed; stop that process, or wait until it is "
                        + "stale, or force the release");
            }
            return release(c, goal, reason, false);
        });
    }

    @Override
    public Goal forceReleaseController(String goalId, String actor, String reason) {
        requireReason(reason, "forcing the release of the controller of goal " + goalId);
        if (actor == null || actor.isBlank()) {
            throw new InvalidInputException("forcing the release of the controller of goal " + goalId + " needs the "
                    + "actor who decided it, recorded as a decision");
        }
        return session.write(c -> {
            Goal goal = lockControlled(c, goalId);
            Goal after = release(c, goal, reason, true);
            decisions().append(goalId, DecisionSpec.of(actor, goal.phase(), "operator", "released the controller "
                    + goal.controller() + " by force, without waiting for it to go stale", reason));
            return after;
        });
    }

    /** The goal, locked for a write, refused unless some owner controls it. */
    private Goal lockControlled(Connection c, String goalId) throws SQLException {
        Goal goal = GoalTable.lock(c, session.dialect(), goalId);
        if (goal.controller() == null) {
            throw new ConflictException("goal " + goalId + " has no controller: there is nothing to release, and any "
                    + "owner may claim it. Nothing was changed");
        }
        return goal;
    }

    /** Voids the goal's controller claim, as an operator did, and records it with the reason. */
    private Goal release(Connection c, Goal goal, String reason, boolean forced) throws SQLException {
        String token = GoalTable.controllerToken(c, goal.id());
        Goal after = GoalTable.updateController(c, goal, null, null, null, now());
        events.controllerReleasedByOperator(after, goal.controller(), token, reason, forced);
        return after;
    }

    private static void requireReason(String reason, String doing) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException(doing + " needs a reason, recorded in the goal's history");
        }
    }

    @Override
    public List<Goal> listRunning() {
        return session.read(c -> GoalTable.byStatus(c, GoalStatus.RUNNING));
    }

    @Override
    public List<Goal> listOrphaned(Duration staleAfter) {
        boolean oneHost = session.dialect().oneHost();
        return session.read(c -> {
            Instant now = session.sharedNow(c);
            return GoalTable.byStatus(c, GoalStatus.RUNNING).stream()
                    .filter(g -> !Liveness.live(g.controller(), g.heartbeatAt(), now, staleAfter, oneHost))
                    .toList();
        });
    }

    static void requireOwner(Owner owner, String doing) {
        if (owner == null) {
            throw new InvalidInputException(doing + " needs an owner; use Owner.current() for this process");
        }
    }

    @Override
    public void delete(String goalId) {
        session.write(c -> {
            // Tasks, proof, checkpoints, artifacts, decisions and leases go by ON DELETE CASCADE.
            if (!GoalTable.delete(c, goalId)) {
                throw GoalTable.notFound(goalId);
            }
            events.goalDeleted(goalId);
            return null;
        });
    }

    @Override
    public TaskStore tasks() {
        return new SqlTaskStore(session, events, this);
    }

    @Override
    public ProofStore proofs() {
        return new SqlProofStore(session, events);
    }

    @Override
    public BudgetStore budgets() {
        return new SqlBudgetStore(session, events, this);
    }

    @Override
    public ArtifactStore artifacts() {
        return new SqlArtifactStore(session, events);
    }

    @Override
    public DecisionStore decisions() {
        return new SqlDecisionStore(session, events);
    }

    @Override
    public LeaseStore leases() {
        return new SqlLeaseStore(session, events);
    }

    /** The goal's next state: what changes besides the version and update time. */
    private Goal with(Goal g, GoalStatus status, GoalPhase phase, String failure, Instant completedAt) {
        return new Goal(g.id(), g.originalText(), g.normalizedText(), g.kind(), g.projectDir(), status, phase,
                g.deliveryPolicy(), g.mergePolicy(), g.untilReady(), g.sliceExecution(), g.maxAgents(), g.budget(),
                g.terminalCriteria(), failure, g.controller(), g.heartbeatAt(), g.createdAt(), now(), completedAt,
                g.version() + 1);
    }
}
