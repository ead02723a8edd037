package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ConflictException;
import dev.cairn.StaleClaimException;
import dev.cairn.IllegalTransitionException;
import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import dev.cairn.events.RecordedEvent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Task claims are fenced: only the current claim's token moves a running task, and a claim whose lease ran out and
 * was requeued, taken over or reset is refused without changing anything.
 */
class TaskClaimTest extends StoreFixture {
    static final Duration LEASE = Duration.ofSeconds(30);

    TaskStore tasks;

    @BeforeEach
    void aGoalWithTwoTasks() {
        goals.create(GoalSpec.of("g", "fenced work", "/p"));
        tasks = goals.tasks();
        tasks.createBatch("g", List.of(TaskSpec.of("g", "a", "A"), TaskSpec.of("g", "b", "B").withDependsOn("a")));
    }

    List<RecordedEvent> history() {
        return db.events().readStream(Goal.streamId("g"), 0).toList();
    }

    /** Every row of the task table as text, read beside Cairn, to show a refusal changed nothing. */
    List<String> rows() throws SQLException {
        try (Connection c = Raw.connect(location()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM goal_tasks ORDER BY goal_id, task_id")) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.append(meta.getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                }
                rows.add(row.toString());
            }
            return rows;
        }
    }

    @Test
    void aClaimCarriesItsTaskOwnerTokenAndLease() {
        TaskClaim claim = tasks.claimTask("g", "worker-A", LEASE).orElseThrow();
        assertThat(claim.taskId()).isEqualTo("a");
        assertThat(claim.goalId()).isEqualTo("g");
        assertThat(claim.owner()).isEqualTo("worker-A");
        assertThat(claim.leaseExpiresAt()).isEqualTo(clock.instant().plus(LEASE));
        assertThat(claim.task().heartbeatAt()).isEqualTo(clock.instant());
        assertThat(claim.task()).isEqualTo(tasks.get("g", "a"));
        assertThat(claim.token()).isNotBlank();
        Task done = tasks.complete(claim, List.of("green"));
        assertThat(done.status()).isEqualTo(TaskStatus.DONE);
        assertThat(done.owner()).isEqualTo("worker-A");
        assertThat(done.leaseExpiresAt()).isNull();
        assertThat(done.heartbeatAt()).isNull();
        assertThat(tasks.get("g", "a")).isEqualTo(done);
        // Once ended, the claim is spent: a second completion is refused too.
        assertThatThrownBy(() -> tasks.complete(claim, null)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("it is done now");
    }

    @Test
    void aWorkerWhoseLeaseRanOutCannotCompleteTheTaskSomeoneElseTookOver() throws SQLException {
        TaskClaim a = tasks.claimTask("g", "worker-A", LEASE).orElseThrow();
        clock.advance(LEASE.plusSeconds(1));
        assertThat(tasks.requeueExpired("g")).extracting(Task::id).containsExactly("a");
        TaskClaim b = tasks.claimTask("g", "worker-B", LEASE).orElseThrow();
        assertThat(b.taskId()).isEqualTo("a");
        assertThat(b.token()).isNotEqualTo(a.token());

        List<String> rowsBefore = rows();
        long versionBefore = db.events().streamVersion(Goal.streamId("g"));
        for (Runnable stale : List.<Runnable>of(() -> tasks.complete(a, List.of("A's late work")),
                () -> tasks.fail(a, List.of("A gave up")), () -> tasks.release(a),
                () -> tasks.heartbeat(a, LEASE))) {
            assertThatThrownBy(stale::run).isExactlyInstanceOf(StaleClaimException.class)
                    .hasMessageContaining("claim " + a.token() + " of worker-A on task a of goal g")
                    .hasMessageContaining("running for worker-B under a later claim")
                    .hasMessageContaining("Nothing was changed");
        }
        assertThatThrownBy(() -> tasks.complete(a, null)).isInstanceOfSatisfying(StaleClaimException.class, e -> {
            assertThat(e.claimed()).isEqualTo(StaleClaimException.Claimed.TASK);
            assertThat(e.goalId()).isEqualTo("g");
            assertThat(e.claimedId()).isEqualTo("a");
            assertThat(e.token()).isEqualTo(a.token());
        });
        assertThat(rows()).isEqualTo(rowsBefore);
        assertThat(db.events().streamVersion(Goal.streamId("g"))).isEqualTo(versionBefore);

        Task done = tasks.complete(b, List.of("B's work"));
        assertThat(done.status()).isEqualTo(TaskStatus.DONE);
        assertThat(done.owner()).isEqualTo("worker-B");
        assertThat(done.evidence()).containsExactly("B's work");
        assertThat(done.retryCount()).isEqualTo(1); // A's lost lease counted as a failed attempt
        List<RecordedEvent> events = history();
        RecordedEvent last = events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo("goal.task-completed");
        assertThat(last.payloadTree().get("claim").asText()).isEqualTo(b.token());
        assertThat(events).filteredOn(e -> e.type().equals("goal.task-lease-expired")).singleElement()
                .satisfies(e -> assertThat(e.payloadTree().get("claim").asText()).isEqualTo(a.token()));
    }

    @Test
    void aStaleClaimOfAnEndedRunNamesTheState() {
        TaskClaim a = tasks.claimTask("g", "worker-A", LEASE).orElseThrow();
        clock.advance(LEASE.plusSeconds(1));
        tasks.requeueExpired("g");
        assertThatThrownBy(() -> tasks.complete(a, null)).isExactlyInstanceOf(StaleClaimException.class)
                .hasMessageContaining("it is pending now (its lease ran out and it was requeued, or an operator "
                        + "reset it)");
        TaskClaim again = tasks.claimTask("g", "worker-A", LEASE).orElseThrow();
        assertThatThrownBy(() -> tasks.complete(a, null)).isExactlyInstanceOf(StaleClaimException.class)
                .hasMessageContaining("later claim of the same owner");
        tasks.complete(again, null);
    }

    @Test
    void aHeartbeatExtendsTheLeaseSoRequeueLeavesTheTask() {
        TaskClaim claim = tasks.claimTask("g", "worker-A", LEASE).orElseThrow();
        clock.advance(Duration.ofSeconds(20));
        TaskClaim extended = tasks.heartbeat(claim, LEASE);
        assertThat(extended.token()).isEqualTo(claim.token());
        assertThat(extended.leaseExpiresAt()).isEqualTo(clock.instant().plus(LEASE));
        assertThat(extended.task().heartbeatAt()).isEqualTo(clock.instant());
        assertThat(tasks.get("g", "a").leaseExpiresAt()).isEqualTo(extended.leaseExpiresAt());
        clock.advance(Duration.ofSeconds(20)); // 40 s after the claim: past its first lease, within the extended one
        assertThat(tasks.requeueExpired("g")).isEmpty();
        assertThat(tasks.get("g", "a").status()).isEqualTo(TaskStatus.RUNNING);

        // Past the lease but not requeued yet: the claim is still current, so the heartbeat is accepted.
        clock.advance(LEASE);
        TaskClaim late = tasks.heartbeat(extended, LEASE);
        assertThat(tasks.requeueExpired("g")).isEmpty();
        assertThat(tasks.complete(late, null).status()).isEqualTo(TaskStatus.DONE);
    }

    @Test
    void heartbeatsAreNotHistory() {
        TaskClaim claim = tasks.claimTask("g", "worker-A", LEASE).orElseThrow();
        long version = db.events().streamVersion(Goal.streamId("g"));
        for (int i = 0; i < 5; i++) {
            claim = tasks.heartbeat(claim, LEASE);
        }
        assertThat(db.events().streamVersion(Goal.streamId("g"))).isEqualTo(version);
        TaskClaim last = claim;
        assertThatThrownBy(() -> tasks.heartbeat(last, Duration.ZERO)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aResetVoidsTheClaimAndKeepsTheRetryCount() {
        TaskClaim first = tasks.claimTask("g", "worker-A", LEASE).orElseThrow();
        tasks.fail(first, List.of("flaky"));
        TaskClaim stuck = tasks.claimTask("g", "worker-A", LEASE).orElseThrow();
        Task reset = tasks.resetTask("g", "a", "worker-A's host was reimaged");
        assertThat(reset.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(reset.owner()).isNull();
        assertThat(reset.retryCount()).isEqualTo(1);
        assertThat(reset.leaseExpiresAt()).isNull();
        assertThat(tasks.get("g", "a")).isEqualTo(reset);
        RecordedEvent event = history().get(history().size() - 1);
        assertThat(event.type()).isEqualTo("goal.task-reset");
        assertThat(event.payloadTree().get("claim").asText()).isEqualTo(stuck.token());
        assertThat(event.payloadTree().get("claimOwner").asText()).isEqualTo("worker-A");
        assertThat(event.payloadTree().get("reason").asText()).isEqualTo("worker-A's host was reimaged");

        assertThatThrownBy(() -> tasks.heartbeat(stuck, LEASE)).isExactlyInstanceOf(StaleClaimException.class)
                .hasMessageContaining("it is pending now");
        assertThatThrownBy(() -> tasks.complete(stuck, null)).isExactlyInstanceOf(StaleClaimException.class);
        // Only a running task has a claim to reset; nothing is recorded for a refusal.
        long version = db.events().streamVersion(Goal.streamId("g"));
        assertThatThrownBy(() -> tasks.resetTask("g", "a", "again")).isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("task a of goal g is pending, not running");
        assertThatThrownBy(() -> tasks.resetTask("g", "zz", "why")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> tasks.resetTask("g", "a", " ")).isInstanceOf(InvalidInputException.class);
        assertThat(db.events().streamVersion(Goal.streamId("g"))).isEqualTo(version);
        TaskClaim next = tasks.claimTask("g", "worker-B", LEASE).orElseThrow();
        assertThat(tasks.complete(next, null).owner()).isEqualTo("worker-B");
    }

    @Test
    void releaseGivesTheTaskBackWithoutARetry() {
        TaskClaim claim = tasks.claimTask("g", "worker-A", LEASE).orElseThrow();
        Task released = tasks.release(claim);
        assertThat(released.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(released.retryCount()).isZero();
        assertThat(released.owner()).isNull();
        assertThat(history().get(history().size() - 1).type()).isEqualTo("goal.task-released");
    }

    @Test
    void aFailureWithRetriesUsedUpStaysFailed() {
        tasks.replaceTaskGraph("g", List.of(TaskSpec.of("g", "a", "A").withMaxRetries(0)));
        TaskClaim claim = tasks.claimTask("g", "worker-A", LEASE).orElseThrow();
        Task failed = tasks.fail(claim, List.of("boom"));
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.evidence()).containsExactly("boom");
        assertThat(history().get(history().size() - 1).type()).isEqualTo("goal.task-failed");
    }

    @Test
    void statusUpdatesCannotMoveARunningTask() {
        TaskClaim claim = tasks.claimTask("g", "worker-A", LEASE).orElseThrow();
        for (TaskStatus to : TaskStatus.values()) {
            assertThatThrownBy(() -> tasks.updateStatus("g", "a", to)).as("running -> %s", to)
                    .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("by a status update");
        }
        assertThatThrownBy(() -> tasks.updateStatus("g", "b", TaskStatus.RUNNING))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("starts running by a claim");
        assertThat(tasks.complete(claim, null).status()).isEqualTo(TaskStatus.DONE);
    }

    @Test
    void aClaimOfADeletedTaskIsNotFound() {
        TaskClaim claim = tasks.claimTask("g", "worker-A", LEASE).orElseThrow();
        tasks.replaceTaskGraph("g", List.of(TaskSpec.of("g", "c", "C")));
        assertThatThrownBy(() -> tasks.complete(claim, null)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("task a of goal g does not exist");
    }

    @Test
    void threadsCompletingOneClaimHaveExactlyOneWinner() throws Exception {
        int threads = 8;
        for (int round = 0; round < 5; round++) {
            String id = "race-" + round;
            tasks.createBatch("g", List.of(TaskSpec.of("g", id, "contested")));
            TaskClaim claim = tasks.claimTask("g", id, "worker", LEASE).orElseThrow();
            long version = db.events().streamVersion(Goal.streamId("g"));
            CyclicBarrier barrier = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String evidence = "thread " + t;
                futures.add(pool.submit(() -> {
                    barrier.await();
                    try {
                        db.goals().tasks().complete(claim, List.of(evidence));
                        outcomes.add("completed");
                    } catch (ConflictException e) {
                        outcomes.add("conflict");
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertThat(outcomes).hasSize(threads);
            assertThat(outcomes).filteredOn("completed"::equals).hasSize(1);
            assertThat(tasks.get("g", id).evidence()).hasSize(1);
            assertThat(db.events().streamVersion(Goal.streamId("g"))).isEqualTo(version + 1);
        }
    }

    @Test
    void aHeartbeatRacingTheRequeueOfItsExpiredLeaseEitherKeepsTheTaskOrIsRefused() throws Exception {
        int kept = 0;
        int requeued = 0;
        for (int round = 0; round < 20; round++) {
            String id = "beat-" + round;
            TaskClaim claim = expiredClaim(id);
            boolean[] outcome = raceWithRequeue(claim, c -> db.goals().tasks().heartbeat(c, LEASE));
            boolean beat = outcome[0];
            // An accepted heartbeat must keep the task: a requeue that read the old lease may not take it after all.
            assertThat(beat).as("round %d: exactly one of heartbeat and requeue", round).isNotEqualTo(outcome[1]);
            assertThat(tasks.get("g", id).status()).isEqualTo(beat ? TaskStatus.RUNNING : TaskStatus.PENDING);
            kept += beat ? 1 : 0;
            requeued += outcome[1] ? 1 : 0;
            if (beat) {
                tasks.release(claim); // out of the next rounds' requeues
            }
        }
        assertThat(kept + requeued).isEqualTo(20);
    }

    @Test
    void aCompletionRacingTheRequeueOfItsExpiredLeaseEndsTheRunOnce() throws Exception {
        int completed = 0;
        int requeued = 0;
        for (int round = 0; round < 10; round++) {
            String id = "late-" + round;
            boolean[] outcome = raceWithRequeue(expiredClaim(id), c -> db.goals().tasks().complete(c, null));
            boolean won = outcome[0];
            assertThat(won).as("round %d: exactly one of completion and requeue", round).isNotEqualTo(outcome[1]);
            assertThat(tasks.get("g", id).status()).isEqualTo(won ? TaskStatus.DONE : TaskStatus.PENDING);
            completed += won ? 1 : 0;
            requeued += outcome[1] ? 1 : 0;
        }
        assertThat(completed + requeued).isEqualTo(10);
    }

    /** A claim of a new task whose lease has just run out, and that nobody has requeued yet. */
    private TaskClaim expiredClaim(String id) {
        tasks.createBatch("g", List.of(TaskSpec.of("g", id, "late " + id)));
        TaskClaim claim = tasks.claimTask("g", id, "worker", LEASE).orElseThrow();
        clock.advance(LEASE.plusSeconds(1));
        return claim;
    }

    /**
     * Runs {@code use} of the claim and a requeue of expired leases at once, behind a barrier; returns whether the use
     * was accepted and whether the requeue took the claim's task.
     */
    private boolean[] raceWithRequeue(TaskClaim claim, java.util.function.Consumer<TaskClaim> use) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> used = pool.submit(() -> {
                barrier.await();
                try {
                    use.accept(claim);
                    return true;
                } catch (ConflictException e) {
                    return false;
                }
            });
            Future<List<Task>> requeue = pool.submit(() -> {
                barrier.await();
                return db.goals().tasks().requeueExpired("g");
            });
            return new boolean[] {used.get(), requeue.get().stream().anyMatch(t -> t.id().equals(claim.taskId()))};
        } finally {
            pool.shutdown();
        }
    }
}
