package dev.cairn.goals.internal;

import dev.cairn.IllegalTransitionException;
import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.Task;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Task graphs on a session. */
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
            GoalTable.lock(c, session.dialect(), goalId);
            List<Task> existing = TaskTable.byGoal(c, goalId);
            TaskGraph.validate(goalId, TaskGraph.dependencies(existing), specs);
            List<Task> added = insert(c, specs, TaskTable.nextPosition(c, goalId));
            events.tasksAdded(goalId, added);
            return added;
        });
    }

    @Override
    public List<Task> replaceTaskGraph(String goalId, List<TaskSpec> specs) {
        // One write: the delete and the inserts commit together or not at all (omk's DELETE-then-INSERT did not).
        return session.write(c -> {
            GoalTable.lock(c, session.dialect(), goalId);
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
            Task task = new Task(s.goalId(), s.id(), position++, s.title(), s.description(), s.kind(),
                    TaskStatus.PENDING, null, s.readSet(), s.writeSet(), s.dependsOn(), s.acceptance(), List.of(),
                    s.risk(), 0, s.maxRetries(), null, null, now, now);
            TaskTable.insert(c, task);
            added.add(task);
        }
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
            return TaskGraph.ready(TaskTable.byGoal(c, goalId));
        });
    }

    @Override
    public Optional<Task> claimTask(String goalId, String owner, Duration lease) {
        return claim(goalId, null, owner, lease);
    }

    @Override
    public Optional<Task> claimTask(String goalId, String taskId, String owner, Duration lease) {
        return claim(goalId, taskId, owner, lease);
    }

    /**
     * Picks and marks a task in one write: the store's writes are serialised (IMMEDIATE across processes), so no
     * other claim can see the task as ready in between. A paused or finished goal hands out no work.
     */
    private Optional<Task> claim(String goalId, String taskId, String owner, Duration lease) {
        if (owner == null || owner.isBlank() || lease == null || lease.isNegative() || lease.isZero()) {
            throw new InvalidInputException("claiming a task of goal " + goalId + " needs an owner and a positive "
                    + "lease, were " + owner + " and " + lease);
        }
        return session.write(c -> {
            Goal goal = GoalTable.lock(c, session.dialect(), goalId);
            if (goal.status().isTerminal() || goal.status() == GoalStatus.PAUSED) {
                return Optional.empty();
            }
            Stream<Task> ready = TaskGraph.ready(TaskTable.byGoal(c, goalId)).stream();
            Optional<Task> pick = (taskId == null ? ready : ready.filter(t -> t.id().equals(taskId))).findFirst();
            if (pick.isEmpty()) {
                if (taskId != null) {
                    require(c, goalId, taskId);
                }
                return Optional.empty();
            }
            Task before = pick.get();
            Instant now = goals.now();
            Task after = with(before, TaskStatus.RUNNING, owner, before.evidence(), before.retryCount(),
                    now.plus(lease), null, now);
            TaskTable.update(c, after);
            events.taskChanged(before, after, "claimed");
            return Optional.of(after);
        });
    }

    @Override
    public Task updateStatus(String goalId, String taskId, TaskStatus status, List<String> evidence) {
        return session.write(c -> {
            GoalTable.lock(c, session.dialect(), goalId);
            Task before = require(c, goalId, taskId);
            if (!before.status().canMoveTo(status)) {
                throw new IllegalTransitionException(goalId, before.status().storedName(), status.storedName(), "task "
                        + taskId + " of goal " + goalId + " is " + before.status() + " and cannot move to " + status
                        + "; from " + before.status() + " it can move to " + (before.status().next().isEmpty()
                                ? "nothing, it is final"
                                : before.status().next().stream().map(Object::toString)
                                        .collect(Collectors.joining(", "))) + ". Nothing was changed");
            }
            List<String> allEvidence = new ArrayList<>(before.evidence());
            if (evidence != null) {
                allEvidence.addAll(evidence);
            }
            Instant now = goals.now();
            Task after;
            String change;
            if (status == TaskStatus.FAILED && before.retryCount() < before.maxRetries()) {
                after = with(before, TaskStatus.PENDING, null, allEvidence, before.retryCount() + 1, null, null, now);
                change = "retried";
            } else {
                boolean keepsOwner = status == TaskStatus.RUNNING || status.isFinal();
                after = with(before, status, keepsOwner ? before.owner() : null, allEvidence, before.retryCount(),
                        status == TaskStatus.RUNNING ? before.leaseExpiresAt() : null,
                        status == TaskStatus.DONE ? now : null, now);
                change = "status-changed";
            }
            TaskTable.update(c, after);
            events.taskChanged(before, after, change);
            return after;
        });
    }

    @Override
    public List<Task> requeueExpired(String goalId) {
        return session.write(c -> {
            GoalTable.lock(c, session.dialect(), goalId);
            Instant now = goals.now();
            List<Task> requeued = new ArrayList<>();
            for (Task before : TaskTable.byGoal(c, goalId)) {
                if (before.status() == TaskStatus.RUNNING && before.leaseExpiresAt() != null
                        && before.leaseExpiresAt().isBefore(now)) {
                    // A worker that vanished counts as a failure, so a task that kills its workers cannot loop.
                    boolean retry = before.retryCount() < before.maxRetries();
                    Task after = with(before, retry ? TaskStatus.PENDING : TaskStatus.FAILED, null,
                            before.evidence(), before.retryCount() + (retry ? 1 : 0), null, null, now);
                    TaskTable.update(c, after);
                    events.taskChanged(before, after, "lease-expired");
                    requeued.add(after);
                }
            }
            return requeued;
        });
    }

    @Override
    public int deleteByGoal(String goalId) {
        return session.write(c -> {
            GoalTable.lock(c, session.dialect(), goalId);
            int count = TaskTable.deleteByGoal(c, goalId);
            events.tasksDeleted(goalId, count);
            return count;
        });
    }

    private static Task with(Task t, TaskStatus status, String owner, List<String> evidence, int retryCount,
            Instant leaseExpiresAt, Instant completedAt, Instant now) {
        return new Task(t.goalId(), t.id(), t.position(), t.title(), t.description(), t.kind(), status, owner,
                t.readSet(), t.writeSet(), t.dependsOn(), t.acceptance(), evidence, t.risk(), retryCount,
                t.maxRetries(), leaseExpiresAt, completedAt, t.createdAt(), now);
    }
}
