package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.Cairn;
import dev.cairn.ConflictException;
import dev.cairn.IllegalTransitionException;
import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import dev.cairn.Owner;
import dev.cairn.Transaction;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class GoalStoreTest extends StoreFixture {
    Goal goal(String id) {
        return goals.create(GoalSpec.of(id, "make " + id + " work", dir.toString()));
    }

    @Test
    void openingCreatesTheGoalTablesWithWalAndForeignKeysOn() throws Exception {
        assumeTrue(Raw.isSqlite(location()), "SQLite's catalogue and journal mode");
        try (Connection c = Raw.connect(location());
                ResultSet rows = c.createStatement().executeQuery("SELECT name FROM sqlite_master WHERE type = "
                        + "'table' AND name LIKE 'goal%' ORDER BY name")) {
            List<String> tables = new ArrayList<>();
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
            assertThat(tables).containsExactly("goal_artifacts", "goal_budget_checkpoints", "goal_decisions",
                    "goal_proofs", "goal_slice_leases", "goal_task_dependencies", "goal_tasks", "goals");
            assertThat(c.createStatement().executeQuery("PRAGMA journal_mode").getString(1)).isEqualTo("wal");
        }
        assertThat(db.status().migrations()).anyMatch(m -> m.name().contains("goal_store"));
    }

    @Test
    void createGetUpdateListAndDelete() {
        GoalSpec spec = GoalSpec.of("g1", "  Add OAuth login  ", "/work/app")
                .withKind("feature")
                .withPhase(GoalPhase.PLANNING)
                .withPolicies(DeliveryPolicy.DRAFT_PR, MergePolicy.GATED)
                .withExecution(true, true, 3)
                .withBudget(new Budget(3600L, 1_000_000L, Money.ofDollars("12.345")))
                .withTerminalCriteria("{\"tests\":\"green\"}");
        Goal created = goals.create(spec);
        assertThat(created.status()).isEqualTo(GoalStatus.NOT_READY);
        assertThat(created.version()).isEqualTo(1);
        Goal read = goals.get("g1");
        assertThat(read).isEqualTo(created);
        assertThat(read.normalizedText()).isEqualTo("Add OAuth login");
        assertThat(read.budget().money().cents()).isEqualTo(1235);
        assertThat(read.deliveryPolicy()).isEqualTo(DeliveryPolicy.DRAFT_PR);
        assertThat(read.untilReady()).isTrue();
        assertThat(read.maxAgents()).isEqualTo(3);

        Goal running = goals.updateStatus("g1", 1, GoalStatus.RUNNING, GoalPhase.EXECUTION);
        assertThat(running.status()).isEqualTo(GoalStatus.RUNNING);
        assertThat(running.phase()).isEqualTo(GoalPhase.EXECUTION);
        assertThat(goals.list(GoalFilter.all().withStatus(GoalStatus.RUNNING))).extracting(GoalSummary::id)
                .containsExactly("g1");
        assertThat(goals.list(GoalFilter.all().withStatus(GoalStatus.PAUSED))).isEmpty();

        goals.delete("g1");
        assertThat(goals.find("g1")).isEmpty();
        assertThatThrownBy(() -> goals.get("g1")).isInstanceOf(NotFoundException.class).hasMessageContaining("g1");
    }

    @Test
    void aDuplicateIdIsAConflictAndBadSpecsAreRefused() {
        goal("dup");
        assertThatThrownBy(() -> goal("dup")).isInstanceOf(ConflictException.class).hasMessageContaining("dup");
        assertThatThrownBy(() -> GoalSpec.of("has space", "x", "/p")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> GoalSpec.of("a", " ", "/p")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> goals.create(GoalSpec.of("j", "x", "/p").withTerminalCriteria("{nope")))
                .isInstanceOf(InvalidInputException.class);
        assertThat(goals.create(GoalSpec.of(null, "generated id", "/p")).id()).startsWith("g-");
    }

    @Test
    void updatesAndDeletesOfAMissingGoalNameIt() {
        assertThatThrownBy(() -> goals.updateStatus("ghost", 1, GoalStatus.RUNNING, null))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("goal ghost");
        assertThatThrownBy(() -> goals.pause("ghost")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> goals.delete("ghost")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("ghost");
        assertThatThrownBy(() -> goals.claimController("ghost", Owner.current())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theNamedTransitionsFollowTheTable() {
        goal("t");
        assertThat(goals.start("t").status()).isEqualTo(GoalStatus.RUNNING);
        assertThat(goals.stop("t").status()).isEqualTo(GoalStatus.NOT_READY);
        assertThat(goals.pause("t").status()).isEqualTo(GoalStatus.PAUSED);
        assertThat(goals.resume("t").status()).isEqualTo(GoalStatus.NOT_READY);
        goals.start("t");
        assertThat(goals.budgetExhausted("t").status()).isEqualTo(GoalStatus.NEEDS_MORE_BUDGET);
        goals.start("t");
        assertThat(goals.deliver("t", false).status()).isEqualTo(GoalStatus.BLOCKED_ON_HUMAN);
        Goal ready = goals.deliver("t", true);
        assertThat(ready.status()).isEqualTo(GoalStatus.READY);
        assertThat(ready.completedAt()).isEqualTo(clock.instant());

        goal("c");
        clock.advance(Duration.ofMinutes(1));
        Goal cancelled = goals.cancel("c", "superseded");
        assertThat(cancelled.completedAt()).isEqualTo(clock.instant());
        assertThat(cancelled.failure()).contains("superseded");

        goal("f");
        goals.start("f");
        assertThat(goals.fail("f", GoalStatus.FAILED_INFRA, "{\"error\":\"disk full\"}").failure())
                .contains("disk full");
    }

    @Test
    void illegalTransitionsNameGoalAndStatusesAndChangeNothing() {
        goal("i");
        Goal before = goals.get("i");
        assertThatThrownBy(() -> goals.resume("i"))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.goalId()).isEqualTo("i");
                    assertThat(e.from()).isEqualTo("not_ready");
                    assertThat(e.to()).isEqualTo("not_ready");
                })
                .hasMessageContaining("goal i").hasMessageContaining("paused");
        assertThatThrownBy(() -> goals.stop("i")).isInstanceOf(IllegalTransitionException.class);
        assertThat(goals.get("i")).isEqualTo(before);

        goals.pause("i");
        assertThatThrownBy(() -> goals.start("i")).isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("from paused");
        goals.cancel("i", null);
        Goal cancelled = goals.get("i");
        for (Callable<Goal> attempt : List.<Callable<Goal>>of(() -> goals.pause("i"), () -> goals.resume("i"),
                () -> goals.start("i"), () -> goals.cancel("i", "again"), () -> goals.deliver("i", true),
                () -> goals.budgetExhausted("i"), () -> goals.updatePhase("i", GoalPhase.PROOF),
                () -> goals.updateStatus("i", cancelled.version(), GoalStatus.RUNNING, null))) {
            assertThatThrownBy(attempt::call).isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining("Nothing was changed");
        }
        assertThat(goals.get("i")).isEqualTo(cancelled);
    }

    @Test
    void aStaleVersionIsAConflictAndChangesNothing() {
        Goal g = goal("v");
        goals.updateStatus("v", g.version(), GoalStatus.RUNNING, null);
        Goal current = goals.get("v");
        assertThatThrownBy(() -> goals.updateStatus("v", g.version(), GoalStatus.PAUSED, null))
                .isInstanceOf(ConflictException.class).isNotInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("version " + current.version());
        assertThat(goals.get("v")).isEqualTo(current);
        Goal phased = goals.updateStatus("v", current.version(), GoalStatus.RUNNING, GoalPhase.PROOF);
        assertThat(phased.phase()).isEqualTo(GoalPhase.PROOF);
        assertThat(phased.version()).isEqualTo(current.version() + 1);
    }

    @Test
    void listFiltersByPhaseKindTextAndAgeAndPagesWithACursor() {
        for (int i = 0; i < 7; i++) {
            goals.create(GoalSpec.of("p" + i, (i % 2 == 0 ? "Fix the Parser " : "Speed up cache ") + i,
                    "/p").withKind(i < 3 ? "bugfix" : "feature"));
            clock.advance(Duration.ofSeconds(1));
        }
        goals.updatePhase("p1", GoalPhase.EXECUTION);
        assertThat(goals.list(GoalFilter.all().withPhase(GoalPhase.EXECUTION))).extracting(GoalSummary::id)
                .containsExactly("p1");
        assertThat(goals.list(GoalFilter.all().withKind("bugfix"))).extracting(GoalSummary::id)
                .containsExactly("p2", "p1", "p0");
        assertThat(goals.list(GoalFilter.all().containing("parser"))).extracting(GoalSummary::id)
                .containsExactly("p6", "p4", "p2", "p0");
        assertThat(goals.list(GoalFilter.all().containing("100%"))).isEmpty();
        assertThat(goals.list(GoalFilter.all().olderThan(Instant.parse("2026-01-01T00:00:02Z"))))
                .extracting(GoalSummary::id).containsExactly("p1", "p0");

        List<String> paged = new ArrayList<>();
        GoalFilter page = GoalFilter.all().limit(3);
        while (true) {
            List<GoalSummary> items = goals.list(page);
            items.forEach(s -> paged.add(s.id()));
            if (items.size() < 3) {
                break;
            }
            page = page.after(items.get(items.size() - 1).cursor());
        }
        assertThat(paged).containsExactly("p6", "p5", "p4", "p3", "p2", "p1", "p0");
        assertThatThrownBy(() -> goals.list(GoalFilter.all().after("garbage!")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> GoalFilter.all().limit(0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void summariesCountTasksByStatusAndCarryTheLatestBudget() {
        goal("s");
        goals.tasks().createBatch("s", List.of(TaskSpec.of("s", "a", "A"), TaskSpec.of("s", "b", "B"),
                TaskSpec.of("s", "c", "C")));
        goals.tasks().updateStatus("s", "a", TaskStatus.DONE);
        goals.budgets().append("s", new BudgetUse("first", 10, 100, Money.ofCents(5)));
        goals.budgets().append("s", new BudgetUse("second", 20, 200, Money.ofCents(9)));
        GoalSummary summary = goals.list(GoalFilter.all()).get(0);
        assertThat(summary.taskCounts()).containsEntry(TaskStatus.DONE, 1).containsEntry(TaskStatus.PENDING, 2);
        assertThat(summary.taskCount()).isEqualTo(3);
        assertThat(summary.latestBudget().label()).isEqualTo("second");
    }

    @Test
    void threadsCreatingOneGoalIdAtOnceHaveExactlyOneWinnerAndTheOthersAreToldItExists() throws Exception {
        int threads = 8;
        for (int round = 0; round < 3; round++) {
            String id = "same" + round;
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Goal>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return goal(id);
                }));
            }
            int winners = 0;
            List<String> refusals = new ArrayList<>();
            for (Future<Goal> r : results) {
                try {
                    r.get();
                    winners++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(ConflictException.class);
                    refusals.add(e.getCause().getMessage());
                }
            }
            pool.shutdown();
            assertThat(winners).isEqualTo(1);
            assertThat(refusals).hasSize(threads - 1)
                    .allSatisfy(m -> assertThat(m).startsWith("goal " + id + " already exists"));
        }
    }

    @Test
    void deletingAGoalDeletesEverythingItOwns() {
        goal("gone");
        goal("kept");
        for (String id : List.of("gone", "kept")) {
            goals.tasks().createBatch(id, List.of(TaskSpec.of(id, "a", "A"), TaskSpec.of(id, "b", "B")
                    .withDependsOn("a")));
            goals.proofs().upsert(id, ProofSpec.of("pending", null, "s", List.of()));
            goals.budgets().append(id, new BudgetUse("x", 1, 1, Money.ZERO));
            goals.artifacts().register(id, "log", "out/log.txt", "text/plain", 3L, null);
            goals.decisions().append(id, DecisionSpec.of("planner", GoalPhase.PLANNING, "scope", "do it", "why"));
            goals.leases().tryClaim(id, "s1", Owner.current(), "worker", List.of("src"));
        }
        goals.delete("gone");
        try (Connection c = Raw.connect(location())) {
            for (String table : List.of("goal_tasks", "goal_task_dependencies", "goal_proofs",
                    "goal_budget_checkpoints", "goal_artifacts", "goal_decisions", "goal_slice_leases")) {
                ResultSet rows = c.createStatement().executeQuery("SELECT goal_id, count(*) FROM " + table
                        + " GROUP BY goal_id");
                List<String> owners = new ArrayList<>();
                while (rows.next()) {
                    owners.add(rows.getString(1) + "=" + rows.getInt(2));
                }
                assertThat(owners).as(table).allMatch(o -> o.startsWith("kept="));
                assertThat(owners).as(table).hasSize(1);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> goals.tasks().byGoal("gone")).isInstanceOf(NotFoundException.class);
        assertThat(goals.proofs().get("gone")).isEmpty();
        assertThat(goals.leases().active()).extracting(SliceLease::goalId).containsExactly("kept");
    }

    @Test
    void aTransactionCommitsTogetherOrNotAtAll() {
        try (Transaction tx = db.begin()) {
            tx.goals().create(GoalSpec.of("tx1", "in a transaction", "/p"));
            tx.goals().tasks().createBatch("tx1", List.of(TaskSpec.of("tx1", "a", "A")));
            assertThat(tx.goals().get("tx1").id()).isEqualTo("tx1"); // visible inside
            tx.commit();
        }
        assertThat(goals.tasks().byGoal("tx1")).hasSize(1); // and after

        try (Transaction tx = db.begin()) {
            tx.goals().create(GoalSpec.of("tx2", "rolled back", "/p"));
            tx.goals().start("tx1");
            tx.rollback();
        }
        assertThat(goals.find("tx2")).isEmpty();
        assertThat(goals.get("tx1").status()).isEqualTo(GoalStatus.NOT_READY);
    }

    @Test
    void aBackupReopensWithTheGoal() {
        assumeTrue(Raw.isSqlite(location()), "PostgreSQL is backed up with pg_dump");
        goal("b");
        goals.tasks().createBatch("b", List.of(TaskSpec.of("b", "a", "A")));
        Path copy = dir.resolve("copy.db");
        db.backupTo(copy);
        try (Cairn restored = Cairn.open(copy)) {
            assertThat(restored.goals().get("b").originalText()).isEqualTo("make b work");
            assertThat(restored.goals().tasks().byGoal("b")).extracting(Task::id).containsExactly("a");
        }
    }

    @Test
    void twoHandlesOnOneFileSeeEachOthersWrites() {
        try (Cairn other = Cairn.open(location())) {
            goal("shared");
            assertThat(other.goals().get("shared").id()).isEqualTo("shared");
            other.goals().start("shared");
            assertThat(goals.get("shared").status()).isEqualTo(GoalStatus.RUNNING);
        }
    }
}
