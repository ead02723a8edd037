package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.ConflictException;
import dev.cairn.IllegalTransitionException;
import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import dev.cairn.StaleClaimException;
import dev.cairn.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of goal and task operations, run against the store and against a small in-memory model of the
 * rules; after every step both must agree on the outcome (done, refused as illegal, stale, invalid or not found) and
 * on the state of the goal it touched. The model keeps its own transition tables, copied from docs/goals.md, and never
 * asks {@link GoalStatus} or {@link TaskStatus}: a table changed in the code alone fails here. Task claims are kept
 * and used again later, so stale ones (requeued after their lease ran out, reset, ended, or of a task replaced or a
 * goal deleted) come up as often as current ones.
 */
class GoalModelTest {
    /** docs/goals.md, "Statuses and transitions": each status, then every status it may move to. */
    static final Map<GoalStatus, Set<GoalStatus>> GOAL_MOVES = table(GoalStatus.class, """
            running:             not_ready paused cancelled needs_more_budget ready blocked_on_human \
                                 blocked_on_external failed_infra
            not_ready:           running paused cancelled needs_more_budget ready blocked_on_human \
                                 blocked_on_external failed_infra
            blocked_on_human:    running not_ready paused cancelled needs_more_budget ready
            blocked_on_external: running not_ready paused cancelled
            needs_more_budget:   running not_ready paused cancelled
            failed_infra:        running not_ready paused cancelled
            paused:              not_ready cancelled
            ready:
            cancelled:
            """);

    /** docs/goals.md: nothing leaves these, and reaching one sets the completion time. */
    static final Set<GoalStatus> TERMINAL = EnumSet.of(GoalStatus.READY, GoalStatus.CANCELLED);

    /** The task moves: work may be recorded done without a claim; done, failed and cancelled are final. */
    static final Map<TaskStatus, Set<TaskStatus>> TASK_MOVES = table(TaskStatus.class, """
            pending:   ready running blocked done cancelled
            ready:     pending running blocked done cancelled
            running:   pending blocked done failed cancelled
            blocked:   pending ready done cancelled
            done:
            failed:
            cancelled:
            """);

    /** Reads "from: to to ..." lines by the stored names; every status must have its line. */
    static <E extends Enum<E>> Map<E, Set<E>> table(Class<E> type, String text) {
        Map<E, Set<E>> table = new EnumMap<>(type);
        for (String line : text.strip().split("\n")) {
            String[] fromTo = line.split(":", 2);
            Set<E> to = EnumSet.noneOf(type);
            for (String name : fromTo[1].trim().split("\\s+")) {
                if (!name.isEmpty()) {
                    to.add(Enum.valueOf(type, name.toUpperCase(java.util.Locale.ROOT)));
                }
            }
            table.put(Enum.valueOf(type, fromTo[0].trim().toUpperCase(java.util.Locale.ROOT)), to);
        }
        assertThat(table.keySet()).as("every %s has a line", type.getSimpleName())
                .containsExactlyInAnyOrder(type.getEnumConstants());
        return table;
    }

    enum Move { PAUSE, RESUME, CANCEL, START, STOP, EXHAUST, DELIVER_READY, DELIVER_BLOCKED }

    sealed interface Op permits NewGoal, MoveGoal, AddTasks, Claim, MoveTask, Replace, Delete, UseClaim, Reset, Tick,
            Requeue {}

    enum ClaimUse { COMPLETE, FAIL, RELEASE, HEARTBEAT }

    record NewGoal() implements Op {}

    record MoveGoal(int goal, Move move) implements Op {}

    record AddTasks(int goal, int count, long seed, boolean broken) implements Op {}

    record Claim(int goal) implements Op {}

    record MoveTask(int goal, int task, TaskStatus to) implements Op {}

    record Replace(int goal, int count, long seed) implements Op {}

    record Delete(int goal) implements Op {}

    /** Uses one of the claims handed out so far, current or not: {@code claim} counts back from the latest. */
    record UseClaim(int claim, ClaimUse use) implements Op {}

    record Reset(int goal, int task) implements Op {}

    /** Moves the clock by this many seconds: a short tick stays within a lease, a long one outlasts it. */
    record Tick(int seconds) implements Op {}

    record Requeue(int goal) implements Op {}

    record ModelClaim(String goalId, String taskId) {}

    static final Duration LEASE = Duration.ofSeconds(60);

    static final class ModelTask {
        final String id;
        final List<String> dependsOn;
        TaskStatus status = TaskStatus.PENDING;
        int retries;
        int claim = -1; // index of the claim it runs under
        long leaseUntil; // seconds since the start of the try

        /** A failed attempt: back to pending with a retry counted while retries are left, else failed. */
        void failed() {
            claim = -1;
            if (retries < MAX_RETRIES) {
                retries++;
                status = TaskStatus.PENDING;
            } else {
                status = TaskStatus.FAILED;
            }
        }

        ModelTask(String id, List<String> dependsOn) {
            this.id = id;
            this.dependsOn = dependsOn;
        }
    }

    static final class ModelGoal {
        GoalStatus status = GoalStatus.NOT_READY;
        long version = 1;
        List<ModelTask> tasks = new ArrayList<>();
        int nextTask;

        List<String> ready() {
            return tasks.stream()
                    .filter(t -> t.status == TaskStatus.PENDING || t.status == TaskStatus.READY)
                    .filter(t -> t.dependsOn.stream().allMatch(d -> find(d).status == TaskStatus.DONE))
                    .map(t -> t.id).toList();
        }

        ModelTask find(String id) {
            return tasks.stream().filter(t -> t.id.equals(id)).findFirst().orElseThrow();
        }
    }

    static final int MAX_RETRIES = 1;

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 5);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new NewGoal())),
                net.jqwik.api.Tuple.of(4, Combinators.combine(index, Arbitraries.of(Move.class)).as(MoveGoal::new)),
                net.jqwik.api.Tuple.of(3, Combinators.combine(index, Arbitraries.integers().between(1, 4),
                        Arbitraries.longs(), Arbitraries.of(false, false, false, true)).as(AddTasks::new)),
                net.jqwik.api.Tuple.of(3, index.map(Claim::new)),
                net.jqwik.api.Tuple.of(4, Combinators.combine(index, Arbitraries.integers().between(0, 8),
                        Arbitraries.of(TaskStatus.class)).as(MoveTask::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(index, Arbitraries.integers().between(0, 3),
                        Arbitraries.longs()).as(Replace::new)),
                net.jqwik.api.Tuple.of(1, index.map(Delete::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 20),
                        Arbitraries.of(ClaimUse.class)).as(UseClaim::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(index, Arbitraries.integers().between(0, 8))
                        .as(Reset::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(new Tick(20), new Tick(70))),
                net.jqwik.api.Tuple.of(1, index.map(Requeue::new)));
        return op.list().ofMinSize(1).ofMaxSize(40);
    }

    /**
     * Two goals with tasks, then mostly claims and what happens to them: uses of current and stale claims, resets,
     * the clock running past leases, requeues, and now and then a graph replaced or a goal moved or deleted.
     */
    @Provide
    Arbitrary<List<Op>> claimOperations() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 1);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, index.map(Claim::new)),
                // Half of the uses take the latest claim, which is most often still current.
                net.jqwik.api.Tuple.of(6, Combinators.combine(Arbitraries.oneOf(Arbitraries.just(0),
                        Arbitraries.integers().between(0, 20)), Arbitraries.of(ClaimUse.class)).as(UseClaim::new)),
                net.jqwik.api.Tuple.of(3, Combinators.combine(index, Arbitraries.integers().between(0, 8))
                        .as(Reset::new)),
                // Leases running out, then a requeue that finds them: rare enough by chance (3 in 1,200 steps, so
                // 60 tries now and then saw none) that ticks past a lease and requeues come more often.
                net.jqwik.api.Tuple.of(5, Arbitraries.of(new Tick(20), new Tick(70), new Tick(70))),
                net.jqwik.api.Tuple.of(6, index.map(Requeue::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(index, Arbitraries.integers().between(0, 8),
                        Arbitraries.of(TaskStatus.class)).as(MoveTask::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(index, Arbitraries.integers().between(1, 3),
                        Arbitraries.longs(), Arbitraries.just(false)).as(AddTasks::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(index, Arbitraries.of(Move.class)).as(MoveGoal::new)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(index, Arbitraries.integers().between(1, 3),
                        Arbitraries.longs()).as(Replace::new)),
                net.jqwik.api.Tuple.of(1, index.map(Delete::new)));
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), op.list().ofMinSize(10).ofMaxSize(40))
                .as((first, second, rest) -> {
                    List<Op> ops = new ArrayList<>(List.of(new NewGoal(), new NewGoal(),
                            new AddTasks(0, 4, first, false), new AddTasks(1, 4, second, false)));
                    ops.addAll(rest);
                    return ops;
                });
    }

    @Property(tries = 60)
    void theStoreAgreesWithTheModel(@ForAll("operations") List<Op> ops) throws IOException {
        check(ops);
    }

    @Property(tries = 100)
    void claimsAgreeWithTheModel(@ForAll("claimOperations") List<Op> ops) throws IOException {
        check(ops);
        // Every kind of claim outcome must have come up across the tries, or the property proved little. At least
        // once each: a higher count is a matter of luck with 100 random sequences (4 resets in one run were seen).
        Statistics.label("claims").coverage(checker -> {
            for (String outcome : List.of("current", "stale", "gone", "reset", "expired")) {
                checker.check(outcome).count(n -> n >= 1);
            }
        });
    }

    private static void check(List<Op> ops) throws IOException {
        Path dir = Files.createTempDirectory("cairn-goal-model");
        TestClock clock = new TestClock();
        try (Cairn db = Cairn.builder().path(dir.resolve("model.db")).clock(clock).open()) {
            GoalStore store = db.goals();
            Map<String, ModelGoal> model = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>();
            World world = new World(clock);
            for (Op op : ops) {
                String goalId = goalOf(op, ids, world.modelClaims);
                List<TaskSpec> specs = specs(op, goalId, model.get(goalId));
                Class<?> expected = apply(op, model, goalId, specs, world);
                Class<?> actual = run(op, store, goalId, ids, specs, world);
                Statistics.label("claims").collect(claimOutcome(op, expected, world));
                assertThat(actual).as("%s on %s", op, goalId).isEqualTo(expected);
                if (model.containsKey(goalId)) {
                    compare(store, goalId, model.get(goalId));
                } else if (goalId != null) {
                    assertThat(store.find(goalId)).as("deleted %s", goalId).isEmpty();
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** What both sides share besides the goals: the clock, and the claims handed out so far (model and store). */
    static final class World {
        final TestClock clock;
        long now; // seconds since the start of the try
        final List<ModelClaim> modelClaims = new ArrayList<>();
        final List<TaskClaim> claims = new ArrayList<>();
        int requeuedLast; // how many tasks the last Requeue took back, in the model

        World(TestClock clock) {
            this.clock = clock;
        }
    }

    private static int latest(UseClaim use, int claims) {
        return claims - 1 - use.claim() % claims;
    }

    /** What a step did to claims, for the coverage check; "other" for the rest. */
    private static String claimOutcome(Op op, Class<?> expected, World world) {
        if (op instanceof UseClaim && !world.modelClaims.isEmpty()) {
            return expected == Void.class ? "current" : expected == StaleClaimException.class ? "stale" : "gone";
        }
        if (op instanceof Reset && expected == Void.class) {
            return "reset";
        }
        if (op instanceof Requeue && world.requeuedLast > 0) {
            return "expired";
        }
        return "other";
    }

    private static String goalOf(Op op, List<String> ids, List<ModelClaim> claims) {
        if (op instanceof NewGoal) {
            return "g" + ids.size();
        }
        if (op instanceof Tick) {
            return null;
        }
        if (op instanceof UseClaim u) {
            return claims.isEmpty() ? null : claims.get(latest(u, claims.size())).goalId();
        }
        int index = op instanceof MoveGoal m ? m.goal() : op instanceof AddTasks a ? a.goal()
                : op instanceof Claim c ? c.goal() : op instanceof MoveTask m ? m.goal()
                : op instanceof Replace r ? r.goal() : op instanceof Reset r ? r.goal()
                : op instanceof Requeue r ? r.goal() : ((Delete) op).goal();
        return ids.isEmpty() ? "nothing" : ids.get(index % ids.size());
    }

    /** What the model says happens; returns the exception class expected, or Void when it succeeds. */
    private static Class<?> apply(Op op, Map<String, ModelGoal> model, String goalId, List<TaskSpec> specs,
            World world) {
        if (op instanceof NewGoal) {
            model.put(goalId, new ModelGoal());
            return Void.class;
        }
        if (op instanceof Tick t) {
            world.now += t.seconds();
            return Void.class;
        }
        world.requeuedLast = 0;
        if (op instanceof UseClaim && world.modelClaims.isEmpty()) {
            return Void.class; // nothing to use yet; the store side does nothing either
        }
        ModelGoal goal = model.get(goalId);
        if (goal == null) {
            return NotFoundException.class;
        }
        if (op instanceof MoveGoal m) {
            GoalStatus to = switch (m.move()) {
                case PAUSE -> GoalStatus.PAUSED;
                case RESUME, STOP -> GoalStatus.NOT_READY;
                case CANCEL -> GoalStatus.CANCELLED;
                case START -> GoalStatus.RUNNING;
                case EXHAUST -> GoalStatus.NEEDS_MORE_BUDGET;
                case DELIVER_READY -> GoalStatus.READY;
                case DELIVER_BLOCKED -> GoalStatus.BLOCKED_ON_HUMAN;
            };
            boolean fromOk = switch (m.move()) {
                case RESUME -> goal.status == GoalStatus.PAUSED;
                case STOP -> goal.status == GoalStatus.RUNNING;
                default -> true;
            };
            if (!fromOk || !GOAL_MOVES.get(goal.status).contains(to)) {
                return IllegalTransitionException.class;
            }
            goal.status = to;
            goal.version++;
            return Void.class;
        }
        if (op instanceof AddTasks || op instanceof Replace) {
            if (op instanceof AddTasks a && a.broken()) {
                return InvalidInputException.class;
            }
            if (op instanceof Replace) {
                goal.tasks = new ArrayList<>();
            }
            for (TaskSpec spec : specs) {
                goal.tasks.add(new ModelTask(spec.id(), spec.dependsOn()));
            }
            goal.nextTask += specs.size();
            return Void.class;
        }
        if (op instanceof Claim) {
            if (!TERMINAL.contains(goal.status) && goal.status != GoalStatus.PAUSED && !goal.ready().isEmpty()) {
                ModelTask task = goal.find(goal.ready().get(0));
                task.status = TaskStatus.RUNNING;
                task.claim = world.modelClaims.size();
                task.leaseUntil = world.now + LEASE.toSeconds();
                world.modelClaims.add(new ModelClaim(goalId, task.id));
            }
            return Void.class;
        }
        if (op instanceof UseClaim u) {
            int index = latest(u, world.modelClaims.size());
            ModelTask task = goal.tasks.stream().filter(t -> t.id.equals(world.modelClaims.get(index).taskId()))
                    .findFirst().orElse(null);
            if (task == null) {
                return NotFoundException.class; // its task was replaced
            }
            if (task.status != TaskStatus.RUNNING || task.claim != index) {
                return StaleClaimException.class;
            }
            switch (u.use()) {
                case COMPLETE -> {
                    task.status = TaskStatus.DONE;
                    task.claim = -1;
                }
                case FAIL -> task.failed();
                case RELEASE -> {
                    task.status = TaskStatus.PENDING;
                    task.claim = -1;
                }
                // Accepted while the claim is current, even past its lease: nobody requeued it yet.
                case HEARTBEAT -> task.leaseUntil = world.now + LEASE.toSeconds();
            }
            return Void.class;
        }
        if (op instanceof Reset r) {
            if (goal.tasks.isEmpty()) {
                return NotFoundException.class;
            }
            ModelTask task = goal.tasks.get(r.task() % goal.tasks.size());
            if (task.status != TaskStatus.RUNNING && task.status != TaskStatus.FAILED) {
                return IllegalTransitionException.class;
            }
            task.status = TaskStatus.PENDING;
            task.claim = -1;
            return Void.class;
        }
        if (op instanceof Requeue) {
            List<ModelTask> expired = goal.tasks.stream()
                    .filter(t -> t.status == TaskStatus.RUNNING && t.leaseUntil < world.now).toList();
            expired.forEach(ModelTask::failed);
            world.requeuedLast = expired.size();
            return Void.class;
        }
        if (op instanceof MoveTask m) {
            if (goal.tasks.isEmpty()) {
                return NotFoundException.class;
            }
            ModelTask task = goal.tasks.get(m.task() % goal.tasks.size());
            // Into and out of running is the claims' business, never a status update's.
            if (task.status == TaskStatus.RUNNING || m.to() == TaskStatus.RUNNING
                    || !TASK_MOVES.get(task.status).contains(m.to())) {
                return IllegalTransitionException.class;
            }
            task.status = m.to();
            return Void.class;
        }
        if (op instanceof Delete) {
            model.remove(goalId);
            return Void.class;
        }
        throw new IllegalArgumentException(op.toString());
    }

    private static Class<?> run(Op op, GoalStore store, String goalId, List<String> ids, List<TaskSpec> specs,
            World world) {
        try {
            if (op instanceof NewGoal) {
                store.create(GoalSpec.of(goalId, "goal " + goalId, "/p"));
                ids.add(goalId);
            } else if (op instanceof MoveGoal m) {
                switch (m.move()) {
                    case PAUSE -> store.pause(goalId);
                    case RESUME -> store.resume(goalId);
                    case CANCEL -> store.cancel(goalId, "model");
                    case START -> store.start(goalId);
                    case STOP -> store.stop(goalId);
                    case EXHAUST -> store.budgetExhausted(goalId);
                    case DELIVER_READY -> store.deliver(goalId, true);
                    case DELIVER_BLOCKED -> store.deliver(goalId, false);
                }
            } else if (op instanceof AddTasks) {
                store.tasks().createBatch(goalId, specs);
            } else if (op instanceof Replace) {
                store.tasks().replaceTaskGraph(goalId, specs);
            } else if (op instanceof Claim) {
                store.tasks().claimTask(goalId, "model", LEASE).ifPresent(world.claims::add);
            } else if (op instanceof UseClaim u) {
                if (!world.claims.isEmpty()) {
                    TaskClaim claim = world.claims.get(latest(u, world.claims.size()));
                    switch (u.use()) {
                        case COMPLETE -> store.tasks().complete(claim, null);
                        case FAIL -> store.tasks().fail(claim, null);
                        case RELEASE -> store.tasks().release(claim);
                        case HEARTBEAT -> store.tasks().heartbeat(claim, LEASE);
                    }
                }
            } else if (op instanceof Reset r) {
                List<Task> tasks = store.tasks().byGoal(goalId).stream()
                        .sorted(Comparator.comparingInt(Task::position)).toList();
                String taskId = tasks.isEmpty() ? "none" : tasks.get(r.task() % tasks.size()).id();
                store.tasks().resetTask(goalId, taskId, "model");
            } else if (op instanceof Tick t) {
                world.clock.advance(Duration.ofSeconds(t.seconds()));
            } else if (op instanceof Requeue) {
                store.tasks().requeueExpired(goalId);
            } else if (op instanceof MoveTask m) {
                List<Task> tasks = store.tasks().byGoal(goalId).stream()
                        .sorted(Comparator.comparingInt(Task::position)).toList();
                String taskId = tasks.isEmpty() ? "none" : tasks.get(m.task() % tasks.size()).id();
                store.tasks().updateStatus(goalId, taskId, m.to());
            } else if (op instanceof Delete) {
                store.delete(goalId);
            }
            return Void.class;
        } catch (ConflictException | InvalidInputException | NotFoundException e) {
            return e.getClass();
        }
    }

    /**
     * The tasks an AddTasks or Replace op submits, built from the model's goal (ids never repeat within a goal;
     * dependencies only point back, so only a broken batch is invalid). Both sides get the same input.
     */
    private static List<TaskSpec> specs(Op op, String goalId, ModelGoal goal) {
        if (!(op instanceof AddTasks) && !(op instanceof Replace)) {
            return List.of();
        }
        boolean replace = op instanceof Replace;
        int count = op instanceof AddTasks a ? a.count() : ((Replace) op).count();
        Random random = new Random(op instanceof AddTasks a ? a.seed() : ((Replace) op).seed());
        List<String> known = new ArrayList<>();
        if (goal != null && !replace) {
            goal.tasks.forEach(t -> known.add(t.id));
        }
        int first = goal == null ? 0 : goal.nextTask;
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> deps = new ArrayList<>();
            for (String id : known) {
                if (random.nextInt(3) == 0) {
                    deps.add(id);
                }
            }
            String id = "t" + (first + i);
            specs.add(TaskSpec.of(goalId, id, id).withDependsOn(deps.toArray(String[]::new))
                    .withMaxRetries(MAX_RETRIES));
            known.add(id);
        }
        if (op instanceof AddTasks a && a.broken()) {
            specs.add(TaskSpec.of(goalId, "broken", "broken").withDependsOn("no-such-task"));
        }
        return specs;
    }

    private static void compare(GoalStore store, String goalId, ModelGoal model) {
        Goal goal = store.get(goalId);
        assertThat(goal.status()).as("status of %s", goalId).isEqualTo(model.status);
        assertThat(goal.version()).as("version of %s", goalId).isEqualTo(model.version);
        assertThat(goal.completedAt() != null).isEqualTo(TERMINAL.contains(model.status));
        Map<String, String> stored = new LinkedHashMap<>();
        store.tasks().byGoal(goalId).stream().sorted(Comparator.comparingInt(Task::position))
                .forEach(t -> stored.put(t.id(), t.status() + " retries " + t.retryCount()));
        Map<String, String> expected = new LinkedHashMap<>();
        model.tasks.forEach(t -> expected.put(t.id, t.status + " retries " + t.retries));
        assertThat(stored).as("tasks of %s", goalId).containsExactlyEntriesOf(expected);
        assertThat(store.tasks().readyTasks(goalId)).extracting(Task::id).as("ready tasks of %s", goalId)
                .containsExactlyElementsOf(model.ready());
    }
}
