package dev.cairn.goals.internal;

import dev.cairn.ConflictException;
import dev.cairn.IllegalTransitionException;
import dev.cairn.Ids;
import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import dev.cairn.StaleClaimException;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.Task;
import dev.cairn.goals.TaskClaim;
import dev.cairn.goals.TaskSpec;
import dev.cairn.goals.TaskStatus;
import dev.cairn.goals.TaskStore;
import dev.cairn.internal.Session;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Task graphs and task claims on a session; the fencing of claims is explained on {@link TaskTable}. */
final class SqlTaskStore implements TaskStore {
    private final Session session;
    private final GoalEvents events;
    private final SqlGoalStore goals;

    SqlTaskStore(Session session, GoalEvents events, SqlGoalStore goals) {
        this.session = session;
        this.events = events;
        this.goals = goals;
    }

    @Override
    public List<Task> createBatch(String goalId, List<TaskSpec> specs) {
        return session.write(c -> {
            GoalTable.lockStatus(c, session.dialect(), goalId);
            TaskGraph.validate(goalId, TaskTable.dependencies(c, goalId), specs);
            List<Task> added = insert(c, specs, TaskTable.nextPosition(c, goalId));
            events.tasksAdded(goalId, added);
            return added;
        });
    }

    @Override
    public List<Task> replaceTaskGraph(String goalId, List<TaskSpec> specs) {
        // One write: the delete and the inserts commit together or not at all (omk's DELETE-then-INSERT did not).
        return session.write(c -> {
            GoalTable.lockStatus(c, session.dialect(), goalId);
            TaskGraph.validate(goalId, Map.of(), specs);
            List<String> removed = TaskTable.byGoal(c, goalId).stream().map(Task::id).toList();
            TaskTable.deleteByGoal(c, goalId);
            List<Task> added = insert(c, specs, 0);
            events.taskGraphReplaced(goalId, removed, added);
            return added;
        });
    }

    private List<Task> insert(Connection c, List<TaskSpec> specs, int firstPosition) throws SQLException {
        Instant now = goals.now();
        List<Task> added = new ArrayList<>(specs.size());
        int position = firstPosition;
        for (TaskSpec s : specs) {
            added.add(new Task(s.goalId(), s.id(), position++, s.title(), s.description(), s.kind(),
                    TaskStatus.PENDING, null, s.readSet(), s.writeSet(), s.dependsOn(), s.acceptance(), List.of(),
                    s.risk(), 0, s.maxRetries(), null, null, null, now, now));
        }
        TaskTable.insert(c, added);
        return added;
    }

    @Override
    public Task get(String goalId, String taskId) {
        return session.read(c -> require(c, goalId, taskId));
    }

    private static Task require(Connection c, String goalId, String taskId) throws SQLException {
        Optional<Task> task = TaskTable.find(c, goalId, taskId);
        if (task.isPresent()) {
            return task.get();
        }
        GoalTable.require(c, goalId);
        throw new NotFoundException("task " + taskId + " of goal " + goalId + " does not exist; see its tasks with "
                + "'cairn goal " + goalId + "'");
    }

    @Override
    public List<Task> byGoal(String goalId) {
        return session.read(c -> {
            GoalTable.require(c, goalId);
            return TaskGraph.topological(TaskTable.byGoal(c, goalId));
        });
    }

    @Override
    public List<Task> readyTasks(String goalId) {
        return session.read(c -> {
            GoalTable.require(c, goalId);
            return TaskTable.ready(c, goalId);
        });
    }

    @Override
    public Optional<TaskClaim> claimTask(String goalId, String owner, Duration lease) {
        return claim(goalId, null, owner, lease);
    }

    @Override
    public Optional<TaskClaim> claimTask(String goalId, String taskId, String owner, Duration lease) {
        return claim(goalId, taskId, owner, lease);
    }

    /**
     * Picks and marks a task in one write: claims of a goal take turns on its lock (and SQLite's writes are
     * serialised, IMMEDIATE across processes), so no other claim can see the task as ready in between. A paused or
     * finished goal hands out no work. The database picks the task (dependency rows, {@link TaskTable}), so a claim
     * reads one task, not the goal's graph.
     */
    private Optional<TaskClaim> claim(String goalId, String taskId, String owner, Duration lease) {
        if (owner == null || owner.isBlank()) {
            throw new InvalidInputException("claiming a task of goal " + goalId + " needs an owner, was " + owner);
        }
        requirePositive(lease, "claiming a task of goal " + goalId);
        return session.write(c -> {
            GoalStatus status = GoalTable.lockStatus(c, session.dialect(), goalId);
            if (status.isTerminal() || status == GoalStatus.PAUSED) {
                return Optional.empty();
            }
            Optional<Task> pick = TaskTable.firstReady(c, goalId, taskId);
            if (pick.isEmpty()) {
                if (taskId != null) {
                    require(c, goalId, taskId);
                }
                return Optional.empty();
            }
            Task before = pick.get();
            Instant now = session.sharedNow(c);
            Task after = with(before, TaskStatus.RUNNING, owner, before.evidence(), before.retryCount(),
                    now.plus(lease), now, null, now);
            TaskClaim claim = new TaskClaim(after, Ids.next().toString());
            TaskTable.update(c, after, claim.token());
            events.taskChanged(before, after, "claimed", claim.token(), owner, null);
            return Optional.of(claim);
        });
    }

    @Override
    public TaskClaim heartbeat(TaskClaim claim, Duration lease) {
        requirePositive(lease, "a heartbeat of " + claim);
        return session.write(c -> {
            Instant now = session.sharedNow(c);
            if (!TaskTable.heartbeat(c, claim.goalId(), claim.taskId(), claim.token(), now.plus(lease), now)) {
                throw stale(c, claim, "extend its lease");
            }
            return new TaskClaim(require(c, claim.goalId(), claim.taskId()), claim.token());
        });
    }

    @Override
    public Task complete(TaskClaim claim, List<String> evidence) {
        return endClaim(claim, "complete it", (before, now) -> with(before, TaskStatus.DONE, before.owner(),
                plus(before.evidence(), evidence), before.retryCount(), null, null, now, now), after -> "completed");
    }

    @Override
    public Task fail(TaskClaim claim, List<String> evidence) {
        return endClaim(claim, "fail it", (before, now) -> failed(before, plus(before.evidence(), evidence), now),
                after -> after.status() == TaskStatus.PENDING ? "retried" : "failed");
    }

    @Override
    public Task release(TaskClaim claim) {
        return endClaim(claim, "release it", (before, now) -> with(before, TaskStatus.PENDING, null,
                before.evidence(), before.retryCount(), null, null, null, now), after -> "released");
    }

    /**
     * One change by the holder of {@code claim}, written only while the claim is current. The task is read first to
     * compute the change; while the claim stays current only its own heartbeats can touch the row, and those change
     * no column the change is computed from, so the conditional update alone decides.
     */
    private Task endClaim(TaskClaim claim, String action, Change change, Function<Task, String> event) {
        return session.write(c -> {
            Task before = require(c, claim.goalId(), claim.taskId());
            Task after = change.apply(before, goals.now());
            if (!TaskTable.updateClaimed(c, after, claim.token())) {
                throw stale(c, claim, action);
            }
            events.taskChanged(before, after, event.apply(after), claim.token(), claim.owner(), null);
            return after;
        });
    }

    /** The change a claim makes, from the task as read. */
    private interface Change {
        Task apply(Task before, Instant now);
    }

    /** Why {@code claim} may no longer act on its task, naming who or what holds the task now. */
    private static StaleClaimException stale(Connection c, TaskClaim claim, String action) throws SQLException {
        Task now = require(c, claim.goalId(), claim.taskId());
        String state;
        if (now.status() != TaskStatus.RUNNING) {
            state = "it is " + now.status() + " now" + (now.status() == TaskStatus.PENDING
                    ? " (its lease ran out and it was requeued, or an operator reset it)" : "");
        } else if (!now.owner().equals(claim.owner())) {
            state = "it is running for " + now.owner() + " under a later claim";
        } else {
            state = "it is running for " + now.owner() + " under a later claim of the same owner";
        }
        return new StaleClaimException(StaleClaimException.Claimed.TASK, claim.goalId(), claim.taskId(),
                claim.token(), "claim " + claim.token() + " of " + claim.owner() + " on task " + claim.taskId()
                + " of goal " + claim.goalId() + " is no longer current, so it cannot " + action + ": " + state
                + ". Nothing was changed; stop working on it and claim a task again");
    }

    @Override
    public Task resetTask(String goalId, String taskId, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("resetting task " + taskId + " of goal " + goalId + " needs a reason, "
                    + "recorded in the goal's history");
        }
        return session.write(c -> {
            GoalTable.lockStatus(c, session.dialect(), goalId);
            Task before = require(c, goalId, taskId);
            String token = TaskTable.claimToken(c, goalId, taskId);
            Task after = with(before, TaskStatus.PENDING, null, before.evidence(), before.retryCount(), null, null,
                    null, goals.now());
            if (before.status() == TaskStatus.FAILED) {
                // Its retries were used up; an operator gives it one more attempt. It has no claim left to void.
                TaskTable.update(c, after, null);
                events.taskChanged(before, after, "reset", null, null, reason);
                return after;
            }
            if (before.status() != TaskStatus.RUNNING || token == null) {
                throw new IllegalTransitionException(goalId, before.status().toString(), "pending", "task " + taskId
                        + " of goal " + goalId + " is " + before.status() + ", not running or failed: only those are "
                        + "reset. Nothing was changed");
            }
            if (!TaskTable.updateClaimed(c, after, token)) {
                // Its holder ended the claim between the read and the update (PostgreSQL: it takes no goal lock).
                throw new ConflictException("task " + taskId + " of goal " + goalId + " changed while it was being "
                        + "reset, now " + require(c, goalId, taskId).status() + ". Nothing was changed; look again");
            }
            events.taskChanged(before, after, "reset", token, before.owner(), reason);
            return after;
        });
    }

    @Override
    public Task updateStatus(String goalId, String taskId, TaskStatus status, List<String> evidence) {
        return session.write(c -> {
            GoalTable.lockStatus(c, session.dialect(), goalId);
            Task before = require(c, goalId, taskId);
            if (before.status() == TaskStatus.RUNNING || status == TaskStatus.RUNNING) {
                throw new IllegalTransitionException(goalId, before.status().toString(), status.toString(), "task "
                        + taskId + " of goal " + goalId + " is " + before.status() + " and cannot be moved to "
                        + status + " by a status update: a task starts running by a claim (claimTask), and a running "
                        + "task is ended by its claim (complete, fail, release), by lease expiry (requeueExpired) or "
                        + "by an operator (resetTask). Nothing was changed");
            }
            if (!before.status().canMoveTo(status)) {
                throw new IllegalTransitionException(goalId, before.status().storedName(), status.storedName(), "task "
                        + taskId + " of goal " + goalId + " is " + before.status() + " and cannot move to " + status
                        + "; from " + before.status() + " it can move to " + (before.status().next().isEmpty()
                                ? "nothing, it is final"
                                : before.status().next().stream().map(Object::toString)
                                        .collect(Collectors.joining(", "))) + ". Nothing was changed");
            }
            Instant now = goals.now();
            Task after = with(before, status, status.isFinal() ? before.owner() : null, plus(before.evidence(),
                    evidence), before.retryCount(), null, null, status == TaskStatus.DONE ? now : null, now);
            TaskTable.update(c, after, null);
            events.taskChanged(before, after, "status-changed", null, null, null);
            return after;
        });
    }

    @Override
    public List<Task> requeueExpired(String goalId) {
        return session.write(c -> {
            GoalTable.lockStatus(c, session.dialect(), goalId);
            Instant now = session.sharedNow(c);
            List<Task> requeued = new ArrayList<>();
            List<Runnable> history = new ArrayList<>();
            for (TaskTable.Claimed expired : TaskTable.expired(c, goalId, now)) {
                // A worker that vanished counts as a failure, so a task that kills its workers cannot loop.
                Task before = expired.task();
                Task after = failed(before, before.evidence(), now);
                String token = expired.token();
                if (token != null && TaskTable.updateExpired(c, after, token, now)) {
                    history.add(() -> events.taskChanged(before, after, "lease-expired", token, before.owner(),
                            null));
                    requeued.add(after);
                }
            }
            // Events after every task row: on PostgreSQL an append holds the log's head until commit, and a claim's
            // holder locks its task row before it appends, so taking them in this order cannot deadlock with it.
            history.forEach(Runnable::run);
            return requeued;
        });
    }

    @Override
    public int deleteByGoal(String goalId) {
        return session.write(c -> {
            GoalTable.lockStatus(c, session.dialect(), goalId);
            int count = TaskTable.deleteByGoal(c, goalId);
            events.tasksDeleted(goalId, count);
            return count;
        });
    }

    /** A failed attempt: back to pending with one more retry counted while retries are left, else failed. */
    private static Task failed(Task t, List<String> evidence, Instant now) {
        boolean retry = t.retryCount() < t.maxRetries();
        return with(t, retry ? TaskStatus.PENDING : TaskStatus.FAILED, retry ? null : t.owner(), evidence,
                t.retryCount() + (retry ? 1 : 0), null, null, null, now);
    }

    private static List<String> plus(List<String> evidence, List<String> more) {
        List<String> all = new ArrayList<>(evidence);
        if (more != null) {
            all.addAll(more);
        }
        return all;
    }

    private static void requirePositive(Duration lease, String what) {
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new InvalidInputException(what + " needs a positive lease, was " + lease);
        }
    }

    private static Task with(Task t, TaskStatus status, String owner, List<String> evidence, int retryCount,
            Instant leaseExpiresAt, Instant heartbeatAt, Instant completedAt, Instant now) {
        return new Task(t.goalId(), t.id(), t.position(), t.title(), t.description(), t.kind(), status, owner,
                t.readSet(), t.writeSet(), t.dependsOn(), t.acceptance(), evidence, t.risk(), retryCount,
                t.maxRetries(), leaseExpiresAt, heartbeatAt, completedAt, t.createdAt(), now);
    }
}
