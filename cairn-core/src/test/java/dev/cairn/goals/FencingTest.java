package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.Owner;
import dev.cairn.StaleClaimException;
import dev.cairn.events.RecordedEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A controller's changes fenced by its claim ({@link GoalStore#fencedBy}): once another owner took the goal over, every
 * change the old controller makes through its fenced store is refused and leaves the goal, its tables and its stream
 * as they were; the current controller's go through; and a change racing the takeover commits before it or not at
 * all.
 */
class FencingTest extends StoreFixture {
    static final Duration STALE = Duration.ofSeconds(30);
    final Owner a = Owner.of("host-a");
    final Owner b = Owner.of("host-b");

    void running(String id) {
        goals.create(GoalSpec.of(id, "fence " + id, dir.toString()).withBudget(new Budget(600L, 1_000L, null)));
        goals.start(id);
    }

    /** Everything of the goal a change could touch, as read through the unfenced store. */
    record Snapshot(Goal goal, List<RecordedEvent> history, List<Task> tasks, Optional<Proof> proof,
            List<BudgetCheckpoint> checkpoints, List<Artifact> artifacts, List<Decision> decisions,
            List<SliceLease> leases) {}

    Snapshot snapshot(String id) {
        try (Stream<RecordedEvent> history = db.events().readStream(Goal.streamId(id), 0)) {
            return new Snapshot(goals.get(id), history.toList(), goals.tasks().byGoal(id), goals.proofs().get(id),
                    goals.budgets().byGoal(id), goals.artifacts().byGoal(id), goals.decisions().byGoal(id),
                    goals.leases().active(id));
        }
    }

    /** The controller's changes of goal {@code id} that the fence must cover, each made through {@code store}. */
    Map<String, Runnable> changes(GoalStore store, String id) {
        Map<String, Runnable> changes = new LinkedHashMap<>();
        changes.put("phase", () -> store.updatePhase(id, GoalPhase.PLANNING));
        changes.put("status", () -> store.updateStatus(id, store.get(id).version(), GoalStatus.BLOCKED_ON_EXTERNAL,
                null));
        changes.put("stop", () -> store.stop(id));
        changes.put("budget exhausted", () -> store.budgetExhausted(id));
        changes.put("plan", () -> store.tasks().createBatch(id, List.of(TaskSpec.of(id, "t2", "more"))));
        changes.put("task status", () -> store.tasks().updateStatus(id, "t1", TaskStatus.BLOCKED));
        changes.put("re-plan", () -> store.tasks().replaceTaskGraph(id, List.of(TaskSpec.of(id, "t9", "other"))));
        changes.put("proof", () -> store.proofs().upsert(id, ProofSpec.of("passed", "ready", "green", List.of())));
        changes.put("budget checkpoint", () -> store.budgets().append(id, new BudgetUse("cp", 60, 100, null)));
        changes.put("artifact", () -> store.artifacts().register(id, "report", "out/report.md", "text/markdown",
                null, null));
        changes.put("decision", () -> store.decisions().append(id, DecisionSpec.of("controller",
                GoalPhase.EXECUTION, "plan", "split the work", "two slices")));
        changes.put("slice lease", () -> store.leases().tryClaim(id, "s1", a, "controller", List.of("out/s1")));
        changes.put("fail", () -> store.fail(id, GoalStatus.FAILED_INFRA, "{\"error\":\"late\"}"));
        changes.put("deliver", () -> store.deliver(id, true));
        return changes;
    }

    @Test
    void aTakenOverControllersChangesAreRefusedAndChangeNothing() {
        running("g");
        goals.tasks().createBatch("g", List.of(TaskSpec.of("g", "t1", "first")));
        ControllerClaim first = goals.claimController("g", a, STALE).orElseThrow();
        GoalStore late = goals.fencedBy(first);
        late.decisions().append("g", DecisionSpec.of("controller", GoalPhase.EXECUTION, "plan", "start", null));

        clock.advance(STALE.plusMillis(1));
        ControllerClaim taken = goals.claimController("g", b, STALE).orElseThrow();
        Snapshot before = snapshot("g");
        Map<String, Runnable> changes = changes(late, "g");
        for (Map.Entry<String, Runnable> change : changes.entrySet()) {
            assertThatThrownBy(() -> change.getValue().run()).as(change.getKey())
                    .isInstanceOfSatisfying(StaleClaimException.class, e -> {
                        assertThat(e.claimed()).isEqualTo(StaleClaimException.Claimed.CONTROLLER);
                        assertThat(e.goalId()).isEqualTo("g");
                        assertThat(e.token()).isEqualTo(first.token());
                    }).hasMessageContaining("goal g").hasMessageContaining(a.id()).hasMessageContaining(b.id())
                    .hasMessageContaining("Nothing was changed");
            assertThat(snapshot("g")).as("after the refused " + change.getKey()).isEqualTo(before);
        }
        // In a transaction too, which the refusal leaves usable.
        db.useTransaction(tx -> {
            assertThatThrownBy(() -> tx.goals().fencedBy(first).updatePhase("g", GoalPhase.PROOF))
                    .isInstanceOf(StaleClaimException.class);
            tx.goals().fencedBy(taken).updatePhase("g", GoalPhase.PROOF);
        });
        assertThat(goals.get("g").phase()).isEqualTo(GoalPhase.PROOF);

        // The current controller's changes go through, each recorded on the goal's stream.
        GoalStore current = goals.fencedBy(taken);
        for (Map.Entry<String, Runnable> change : changes(current, "g").entrySet()) {
            if (goals.get("g").status() != GoalStatus.RUNNING) {
                current.start("g"); // back to running, from where every move here starts
            }
            long version = db.events().streamVersion(Goal.streamId("g"));
            change.getValue().run();
            assertThat(db.events().streamVersion(Goal.streamId("g"))).as(change.getKey()).isGreaterThan(version);
        }
        assertThat(goals.get("g").status()).isEqualTo(GoalStatus.READY);
        assertThat(goals.decisions().byGoal("g")).hasSize(2);
        assertThat(goals.get("g").controller()).isEqualTo(b);
    }

    @Test
    void aReleasedClaimIsRefusedAndAFencedStoreWritesOnlyItsGoal() {
        running("g");
        running("h");
        ControllerClaim claim = goals.claimController("g", a, STALE).orElseThrow();
        GoalStore fenced = goals.fencedBy(claim);
        assertThatThrownBy(() -> fenced.updatePhase("h", GoalPhase.PLANNING))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("goal h").hasMessageContaining("goal g");
        assertThatThrownBy(() -> fenced.decisions().append("h", DecisionSpec.of("c", null, null, "x", null)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> fenced.create(GoalSpec.of("new", "another goal", "/p")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("goal new");
        assertThatThrownBy(() -> fenced.create(GoalSpec.of(null, "another goal", "/p")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> fenced.leases().expireStale(STALE)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("goal g");
        assertThat(goals.find("new")).isEmpty();
        assertThat(goals.get("h").phase()).isEqualTo(GoalPhase.INTAKE);
        assertThat(goals.decisions().byGoal("h")).isEmpty();
        // Reads pass through, of any goal.
        assertThat(fenced.get("h").id()).isEqualTo("h");
        assertThat(fenced.listRunning()).extracting(Goal::id).containsExactly("g", "h");

        assertThat(fenced.updatePhase("g", GoalPhase.PLANNING).phase()).isEqualTo(GoalPhase.PLANNING);
        assertThat(goals.releaseController(claim)).isTrue();
        Snapshot before = snapshot("g");
        assertThatThrownBy(() -> fenced.updatePhase("g", GoalPhase.EXECUTION)).isInstanceOf(StaleClaimException.class)
                .hasMessageContaining("nobody controls it");
        assertThat(snapshot("g")).isEqualTo(before);
        assertThatThrownBy(() -> goals.fencedBy(null)).isInstanceOf(InvalidInputException.class);
    }

    /**
     * The old controller's change and another owner's takeover at once, many times over: in the goal's stream the
     * change comes before the takeover, or it was refused and is not there. Never after: the check and the change are
     * one transaction, and the goal's row is held from one to the other.
     */
    @Test
    void aChangeRacingTheTakeoverCommitsBeforeItOrNotAtAll() throws Exception {
        int trials = 120;
        int before = 0;
        int refused = 0;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        // The takeover comes from another store on the same database, as from another process: its write is not
        // queued behind the change in this store's group commit, but races it for the database's locks.
        try (Cairn elsewhere = Cairn.builder().location(location()).clock(clock).open()) {
            for (int trial = 0; trial < trials; trial++) {
                String id = "race" + trial;
                running(id);
                ControllerClaim old = goals.claimController(id, a, STALE).orElseThrow();
                clock.advance(STALE.plusMillis(1)); // stale: the next claim by another owner takes it over
                GoalStore fenced = goals.fencedBy(old);
                CyclicBarrier start = new CyclicBarrier(2);
                // A random head start for either side, so that both orders come up.
                long writerDelay = ThreadLocalRandom.current().nextLong(-300, 300);
                Future<Optional<ControllerClaim>> takeover = pool.submit(() -> {
                    start.await();
                    spin(-writerDelay);
                    return elsewhere.goals().claimController(id, b, STALE);
                });
                Future<Boolean> change = pool.submit(() -> {
                    start.await();
                    spin(writerDelay);
                    try {
                        fenced.decisions().append(id, DecisionSpec.of("controller", null, "plan", "late", null));
                        return true;
                    } catch (StaleClaimException e) {
                        return false;
                    }
                });
                assertThat(takeover.get(30, TimeUnit.SECONDS)).as("the takeover").isPresent();
                boolean written = change.get(30, TimeUnit.SECONDS);
                List<String> history;
                try (Stream<RecordedEvent> events = db.events().readStream(Goal.streamId(id), 0)) {
                    history = events.map(RecordedEvent::type).filter(t -> t.equals("goal.decision-recorded")
                            || t.equals("goal.controller-claimed")).toList();
                }
                if (written) {
                    before++;
                    assertThat(history).as("trial " + trial + ": the change was acknowledged").containsExactly(
                            "goal.controller-claimed", "goal.decision-recorded", "goal.controller-claimed");
                } else {
                    refused++;
                    assertThat(history).as("trial " + trial + ": the change was refused").containsExactly(
                            "goal.controller-claimed", "goal.controller-claimed");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("fenced change against a takeover: " + before + " before it, " + refused + " refused");
        assertThat(before).as("trials in which the change committed first").isPositive();
        assertThat(refused).as("trials in which the takeover committed first").isPositive();
    }

    /** Busy-waits about {@code micros} µs (nothing when not positive): a sleep would be far coarser. */
    static void spin(long micros) {
        long end = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
