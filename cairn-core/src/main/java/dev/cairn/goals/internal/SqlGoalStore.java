package dev.cairn.goals.internal;

import dev.cairn.ConflictException;
import dev.cairn.IllegalTransitionException;
import dev.cairn.Ids;
import dev.cairn.InvalidInputException;
import dev.cairn.events.EventLog;
import dev.cairn.goals.ArtifactStore;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.BudgetStore;
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
                        g.controllerPid(), g.createdAt(), g.updatedAt(), counts.getOrDefault(g.id(), Map.of()),
                        budgets.get(g.id()), GoalTable.Cursor.of(g)));
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
                goal.controllerPid(), goal.heartbeatAt(), goal.completedAt()));
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
                failure != null ? failure : goal.failure(), goal.controllerPid(), goal.heartbeatAt(),
                to.isTerminal() ? now() : null));
        events.statusChanged(goal, after, name);
        return after;
    }

    @Override
    public boolean claimController(String goalId, long pid, Duration staleAfter) {
        return session.write(c -> {
            Goal goal = GoalTable.lock(c, session.dialect(), goalId);
            Instant now = now();
            Long holder = goal.controllerPid();
            if (holder != null && holder == pid) {
                GoalTable.heartbeat(c, goalId, now); // already ours: nothing changes hands
                return true;
            }
            if (holder != null && Controllers.live(holder, goal.heartbeatAt(), now, staleAfter)) {
                return false;
            }
            // The goal's row is locked for this write (and on SQLite the write lock is held), and the version guards
            // it anyway: only one claimant can move the controller from what it read.
            Goal after = GoalTable.updateState(c, goal, withController(goal, pid, now));
            events.controllerClaimed(after, holder);
            return true;
        });
    }

    @Override
    public boolean releaseController(String goalId, long pid) {
        return session.write(c -> {
            Goal goal = GoalTable.lock(c, session.dialect(), goalId);
            if (goal.controllerPid() == null || goal.controllerPid() != pid) {
                return false;
            }
            Goal after = GoalTable.updateState(c, goal, withController(goal, null, null));
            events.controllerReleased(after, pid);
            return true;
        });
    }

    @Override
    public Goal heartbeat(String goalId, long pid) {
        return session.write(c -> {
            Goal goal = GoalTable.lock(c, session.dialect(), goalId);
            if (goal.controllerPid() == null || goal.controllerPid() != pid) {
                throw new ConflictException("process " + pid + " does not control goal " + goalId + " ("
                        + (goal.controllerPid() == null ? "nobody does" : "process " + goal.controllerPid() + " does")
                        + "); claim it again before working on it");
            }
            GoalTable.heartbeat(c, goalId, now());
            return GoalTable.require(c, goalId);
        });
    }

    @Override
    public List<Goal> listRunning() {
        return session.read(c -> GoalTable.byStatus(c, GoalStatus.RUNNING));
    }

    @Override
    public List<Goal> listOrphaned(Duration staleAfter) {
        Instant now = now();
        return listRunning().stream()
                .filter(g -> !Controllers.live(g.controllerPid(), g.heartbeatAt(), now, staleAfter))
                .toList();
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
    private Goal with(Goal g, GoalStatus status, GoalPhase phase, String failure, Long pid, Instant heartbeatAt,
            Instant completedAt) {
        return new Goal(g.id(), g.originalText(), g.normalizedText(), g.kind(), g.projectDir(), status, phase,
                g.deliveryPolicy(), g.mergePolicy(), g.untilReady(), g.sliceExecution(), g.maxAgents(), g.budget(),
                g.terminalCriteria(), failure, pid, heartbeatAt, g.createdAt(), now(), completedAt, g.version() + 1);
    }

    private Goal withController(Goal g, Long pid, Instant heartbeatAt) {
        return with(g, g.status(), g.phase(), g.failure(), pid, heartbeatAt, g.completedAt());
    }
}
