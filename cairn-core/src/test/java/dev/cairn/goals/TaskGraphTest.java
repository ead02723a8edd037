package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.IllegalTransitionException;
import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskGraphTest extends StoreFixture {
    TaskStore tasks;

    @BeforeEach
    void twoGoals() {
        goals.create(GoalSpec.of("g", "build it", "/p"));
        goals.create(GoalSpec.of("other", "something else", "/p"));
        tasks = goals.tasks();
    }

    static TaskSpec task(String id, String... dependsOn) {
        return TaskSpec.of("g", id, "Task " + id).withDependsOn(dependsOn);
    }

    @Test
    void aBatchOfTenIsStoredWithItsFields() {
        List<TaskSpec> batch = IntStream.range(0, 10).mapToObj(i -> TaskSpec.of("g", "t" + i, "Task " + i)
                .withDescription("do " + i).withKind("code").withSets(List.of("src/a"), List.of("src/t" + i))
                .withAcceptance("tests pass").withRisk("low").withMaxRetries(2)).toList();
        List<Task> stored = tasks.createBatch("g", batch);
        assertThat(stored).hasSize(10);
        assertThat(tasks.byGoal("g")).hasSize(10).extracting(Task::id)
                .containsExactly("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9");
        Task t3 = tasks.get("g", "t3");
        assertThat(t3.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(t3.writeSet()).containsExactly("src/t3");
        assertThat(t3.acceptance()).containsExactly("tests pass");
        assertThat(t3.maxRetries()).isEqualTo(2);
        assertThat(t3.risk()).isEqualTo("low");
        assertThat(t3).isEqualTo(stored.get(3));
    }

    @Test
    void getOfAMissingTaskOrGoalIsNotFound() {
        tasks.createBatch("g", List.of(task("a")));
        assertThatThrownBy(() -> tasks.get("g", "zz")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("task zz of goal g");
        assertThatThrownBy(() -> tasks.get("nope", "a")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("goal nope");
        assertThatThrownBy(() -> tasks.createBatch("nope", List.of())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> tasks.updateStatus("g", "zz", TaskStatus.DONE)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void invalidGraphsAreRefusedWritingNothing() {
        tasks.createBatch("g", List.of(task("a")));
        assertThatThrownBy(() -> tasks.createBatch("g", List.of(task("b"), TaskSpec.of("other", "c", "C"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("task c belongs to goal other");
        assertThatThrownBy(() -> tasks.createBatch("g", List.of(task("b"), task("b"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("b appears twice");
        assertThatThrownBy(() -> tasks.createBatch("g", List.of(task("a"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("a appears twice");
        assertThatThrownBy(() -> tasks.createBatch("g", List.of(task("b", "ghost"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("depends on unknown task ghost");
        assertThatThrownBy(() -> tasks.createBatch("g", List.of(task("b", "d"), task("c", "b"), task("d", "c"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cycle: b -> d -> c -> b");
        assertThatThrownBy(() -> tasks.createBatch("g", List.of(task("self", "self"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("self -> self");
        assertThatThrownBy(() -> tasks.replaceTaskGraph("g", List.of(task("x", "y"), task("y", "x"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("x -> y -> x");
        assertThat(tasks.byGoal("g")).extracting(Task::id).containsExactly("a");
        assertThat(tasks.byGoal("other")).isEmpty();
    }

    @Test
    void aBatchMayDependOnTasksAlreadyThere() {
        tasks.createBatch("g", List.of(task("a")));
        tasks.createBatch("g", List.of(task("b", "a")));
        assertThat(tasks.readyTasks("g")).extracting(Task::id).containsExactly("a");
    }

    @Test
    void replacingTheGraphSwapsItWhole() {
        tasks.createBatch("g", List.of(task("a"), task("b", "a")));
        tasks.updateStatus("g", "a", TaskStatus.DONE);
        List<Task> replaced = tasks.replaceTaskGraph("g", List.of(task("c"), task("d", "c")));
        assertThat(replaced).extracting(Task::id).containsExactly("c", "d");
        assertThat(tasks.byGoal("g")).extracting(Task::id).containsExactly("c", "d");
        assertThat(tasks.byGoal("g")).allMatch(t -> t.status() == TaskStatus.PENDING);
        // The new graph may reuse old ids.
        tasks.replaceTaskGraph("g", List.of(task("a"), task("c", "a")));
        assertThat(tasks.byGoal("g")).extracting(Task::id).containsExactly("a", "c");
        assertThat(tasks.get("g", "a").status()).isEqualTo(TaskStatus.PENDING);
    }

    @Test
    void byGoalIsTopologicalWithTiesInTheOrderAdded() {
        tasks.createBatch("g", List.of(task("deploy", "test", "build"), task("test", "build"), task("docs"),
                task("build", "fetch"), task("fetch")));
        assertThat(tasks.byGoal("g")).extracting(Task::id)
                .containsExactly("docs", "fetch", "build", "test", "deploy");
    }

    @Test
    void readyTasksArePendingTasksWhoseDependenciesAreDone() {
        tasks.createBatch("g", List.of(task("a"), task("b", "a"), task("c", "a"), task("d", "b", "c"), task("e")));
        assertThat(tasks.readyTasks("g")).extracting(Task::id).containsExactly("a", "e");
        tasks.updateStatus("g", "a", TaskStatus.DONE);
        assertThat(tasks.readyTasks("g")).extracting(Task::id).containsExactly("b", "c", "e");
        tasks.updateStatus("g", "b", TaskStatus.DONE);
        assertThat(tasks.readyTasks("g")).extracting(Task::id).containsExactly("c", "e");
        tasks.updateStatus("g", "c", TaskStatus.BLOCKED);
        assertThat(tasks.readyTasks("g")).extracting(Task::id).containsExactly("e");
    }

    @Test
    void aDependencyNamedTwiceIsKeptAsGivenAndWaitedForOnce() {
        tasks.createBatch("g", List.of(task("a"), task("b", "a", "a")));
        assertThat(tasks.get("g", "b").dependsOn()).containsExactly("a", "a");
        assertThat(tasks.readyTasks("g")).extracting(Task::id).containsExactly("a");
        tasks.updateStatus("g", "a", TaskStatus.DONE);
        assertThat(tasks.claimTask("g", "w", Duration.ofSeconds(30))).map(TaskClaim::taskId).contains("b");
    }

    @Test
    void onlyADoneDependencyFreesATask() {
        tasks.createBatch("g", List.of(task("a"), task("b", "a")));
        for (TaskStatus notDone : List.of(TaskStatus.READY, TaskStatus.BLOCKED, TaskStatus.CANCELLED)) {
            tasks.updateStatus("g", "a", notDone);
            assertThat(tasks.readyTasks("g")).as("a is %s", notDone).extracting(Task::id)
                    .doesNotContain("b");
            assertThat(tasks.claimTask("g", "b", "w", Duration.ofSeconds(30))).as("a is %s", notDone).isEmpty();
        }
        // A failed dependency keeps its dependents waiting too: they run only on work that was done.
        tasks.replaceTaskGraph("g", List.of(task("a").withMaxRetries(0), task("b", "a")));
        tasks.fail(tasks.claimTask("g", "w", Duration.ofSeconds(30)).orElseThrow(), null);
        assertThat(tasks.get("g", "a").status()).isEqualTo(TaskStatus.FAILED);
        assertThat(tasks.readyTasks("g")).isEmpty();
        assertThat(tasks.claimTask("g", "w", Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void statusUpdatesFollowTheTableAndFailuresRetryUntilMaxRetries() {
        tasks.createBatch("g", List.of(task("a").withMaxRetries(2), task("b")));
        for (int attempt = 1; attempt <= 2; attempt++) {
            TaskClaim claim = tasks.claimTask("g", "w", Duration.ofMinutes(5)).orElseThrow();
            Task retried = tasks.fail(claim, List.of("attempt " + attempt));
            assertThat(retried.status()).isEqualTo(TaskStatus.PENDING);
            assertThat(retried.retryCount()).isEqualTo(attempt);
            assertThat(retried.owner()).isNull();
        }
        TaskClaim last = tasks.claimTask("g", "a", "w", Duration.ofMinutes(5)).orElseThrow();
        Task failed = tasks.fail(last, List.of("attempt 3"));
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.evidence()).containsExactly("attempt 1", "attempt 2", "attempt 3");

        assertThatThrownBy(() -> tasks.updateStatus("g", "a", TaskStatus.PENDING))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("task a of goal g is failed");
        assertThatThrownBy(() -> tasks.updateStatus("g", "b", TaskStatus.FAILED))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("Nothing was changed");
        clock.advance(Duration.ofSeconds(3));
        Task done = tasks.updateStatus("g", "b", TaskStatus.DONE);
        assertThat(done.completedAt()).isEqualTo(clock.instant());
        assertThat(tasks.get("g", "b")).isEqualTo(done);
    }

    @Test
    void claimTaskHandsOutReadyTasksInOrderAndExpiredLeasesComeBack() {
        tasks.createBatch("g", List.of(task("a"), task("b"), task("c", "a")));
        Task first = tasks.claimTask("g", "w1", Duration.ofSeconds(30)).orElseThrow().task();
        assertThat(first.id()).isEqualTo("a");
        assertThat(first.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(first.owner()).isEqualTo("w1");
        assertThat(first.leaseExpiresAt()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(tasks.claimTask("g", "w2", Duration.ofSeconds(30))).map(TaskClaim::taskId).contains("b");
        assertThat(tasks.claimTask("g", "w3", Duration.ofSeconds(30))).isEmpty(); // c waits for a
        assertThat(tasks.claimTask("g", "c", "w3", Duration.ofSeconds(30))).isEmpty();

        clock.advance(Duration.ofSeconds(31));
        assertThat(tasks.requeueExpired("g")).extracting(Task::id).containsExactly("a", "b");
        Task back = tasks.get("g", "a");
        assertThat(back.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(back.owner()).isNull();
        assertThat(back.retryCount()).isEqualTo(1);
        assertThat(tasks.requeueExpired("g")).isEmpty();
    }

    @Test
    void aPausedOrFinishedGoalHandsOutNoWork() {
        tasks.createBatch("g", List.of(task("a")));
        db.goals().pause("g");
        assertThat(tasks.claimTask("g", "w", Duration.ofSeconds(30))).isEmpty();
        db.goals().resume("g");
        assertThat(tasks.claimTask("g", "w", Duration.ofSeconds(30))).isPresent();
    }

    @Test
    void threadsClaimingTasksNeverShareOne() throws Exception {
        List<TaskSpec> batch = IntStream.range(0, 40).mapToObj(i -> task("t" + i)).toList();
        tasks.createBatch("g", batch);
        int workers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String owner = "worker-" + w;
            futures.add(pool.submit(() -> {
                start.await();
                Optional<TaskClaim> next;
                while ((next = db.goals().tasks().claimTask("g", owner, Duration.ofMinutes(1))).isPresent()) {
                    claimed.add(next.get().taskId());
                    assertThat(next.get().owner()).isEqualTo(owner);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        List<String> sorted = new ArrayList<>(claimed);
        Collections.sort(sorted);
        assertThat(sorted).doesNotHaveDuplicates().hasSize(40);
        assertThat(tasks.byGoal("g")).allMatch(t -> t.status() == TaskStatus.RUNNING);
    }

    @Test
    void deleteByGoalRemovesOnlyThatGoalsTasks() {
        tasks.createBatch("g", List.of(task("a"), task("b")));
        tasks.createBatch("other", List.of(TaskSpec.of("other", "a", "A")));
        assertThat(tasks.deleteByGoal("g")).isEqualTo(2);
        assertThat(tasks.byGoal("g")).isEmpty();
        assertThat(tasks.byGoal("other")).hasSize(1);
    }
}
