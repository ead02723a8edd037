package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.Owner;
import dev.cairn.goals.Budget;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.BudgetUse;
import dev.cairn.goals.ClaimResult;
import dev.cairn.goals.ControllerClaim;
import dev.cairn.goals.DecisionSpec;
import dev.cairn.goals.DeliveryPolicy;
import dev.cairn.goals.GateResult;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalSpec;
import dev.cairn.goals.GoalStore;
import dev.cairn.goals.MergePolicy;
import dev.cairn.goals.Money;
import dev.cairn.goals.ProofSpec;
import dev.cairn.goals.SliceLease;
import dev.cairn.goals.Task;
import dev.cairn.goals.TaskClaim;
import dev.cairn.goals.TaskSpec;
import dev.cairn.goals.TaskStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The goal store's part of {@code cairn demo}: one goal end to end through the public API (planning, a task graph,
 * two workers on real threads claiming tasks and slice leases, budget checkpoints, a proof with gates, artifacts,
 * delivery), then shown as {@code cairn goal} shows it.
 */
final class GoalStoreDemo {
    static final String GOAL = "g-webhook-retries";

    private GoalStoreDemo() {}

    /** Returns the goal as delivered. */
    static Goal run(Cairn db, PrintWriter out) {
        GoalStore goals = db.goals();
        Owner me = Owner.current();
        goals.create(GoalSpec.of(GOAL, "Make webhook delivery retry with exponential backoff", "/srv/payments-api")
                .withKind("feature")
                .withPolicies(DeliveryPolicy.DRAFT_PR, MergePolicy.GATED)
                .withExecution(true, true, 2)
                .withBudget(new Budget(3600L, 2_000_000L, Money.ofDollars("25.00")))
                .withTerminalCriteria("{\"gates\":[\"build\",\"test\",\"lint\"]}"));
        ControllerClaim control = goals.claimController(GOAL, me).orElseThrow();
        goals.start(GOAL);
        out.println();
        out.println("goal store: goal " + GOAL + " created, controlled by this process (" + me + ") and started");

        goals.updatePhase(GOAL, GoalPhase.PLANNING);
        goals.decisions().append(GOAL, new DecisionSpec("planner", GoalPhase.PLANNING, "scope",
                "Retry in the dispatcher, not in the HTTP client", "the client is shared with synchronous calls",
                List.of("no new dependencies"), List.of("docs/plan.md")));
        goals.artifacts().register(GOAL, "plan", "docs/plan.md", "text/markdown", 2_310L, null);
        goals.budgets().append(GOAL, new BudgetUse("after-planning", 240, 180_000, Money.ofDollars("2.405")));

        goals.updatePhase(GOAL, GoalPhase.DECOMPOSITION);
        goals.tasks().createBatch(GOAL, List.of(
                TaskSpec.of(GOAL, "schema", "Add delivery attempt columns")
                        .withSets(List.of("src/db"), List.of("src/db/migrations")),
                TaskSpec.of(GOAL, "backoff", "Exponential backoff policy with jitter")
                        .withSets(List.of(), List.of("src/retry")),
                TaskSpec.of(GOAL, "dispatcher", "Retry failed deliveries in the dispatcher")
                        .withDependsOn("schema", "backoff")
                        .withSets(List.of("src/retry", "src/db"), List.of("src/dispatch")),
                TaskSpec.of(GOAL, "tests", "Integration tests against a flaky endpoint")
                        .withDependsOn("dispatcher").withSets(List.of("src"), List.of("test/dispatch")),
                TaskSpec.of(GOAL, "docs", "Document retry behaviour").withDependsOn("dispatcher")
                        .withSets(List.of("src/dispatch"), List.of("docs/retries.md"))));
        out.println("  planned 5 tasks; two workers start on their own threads");

        goals.updatePhase(GOAL, GoalPhase.EXECUTION);
        List<Thread> workers = new ArrayList<>();
        for (String name : List.of("worker-1", "worker-2")) {
            Thread worker = new Thread(() -> work(db, name, out), name);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the demo was interrupted while its workers ran", e);
            }
        }
        BudgetCheckpoint spent = goals.budgets().append(GOAL, new BudgetUse("after-execution", 1_520, 1_240_000,
                Money.ofDollars("14.875")), true);
        out.println("  budget after execution: " + spent.spent() + " spent, " + spent.remainingMoney() + " left");

        goals.updatePhase(GOAL, GoalPhase.VERIFICATION_DESIGN);
        List<GateResult> planned = List.of(GateResult.failed("build", "./gradlew assemble", "not run yet"),
                GateResult.failed("test", "./gradlew test", "not run yet"),
                GateResult.failed("lint", "./gradlew spotlessCheck", "not run yet"));
        goals.proofs().upsert(GOAL, ProofSpec.of("pending", "not_ready", "gates designed", planned));
        goals.updatePhase(GOAL, GoalPhase.PROOF);
        List<GateResult> ran = List.of(GateResult.passed("build", "./gradlew assemble", "built in 41 s"),
                GateResult.passed("test", "./gradlew test", "318 tests, 0 failures"),
                GateResult.passed("lint", "./gradlew spotlessCheck", "clean"));
        goals.proofs().upsert(GOAL, new ProofSpec("passed", "ready", "retries with backoff, proven by 3 gates", ran,
                List.of("src/dispatch/Dispatcher.java", "src/retry/Backoff.java"), List.of("4f1c2ab", "9e07d13"),
                true, List.of("no load test of the retry queue"), List.of(), "{\"branch\":\"goal/webhook-retries\"}"));
        goals.artifacts().register(GOAL, "report", "proof/report.md", "text/markdown", 5_120L, null);
        goals.budgets().append(GOAL, new BudgetUse("after-proof", 1_790, 1_410_000, Money.ofDollars("16.999")));
        Goal done = goals.deliver(GOAL, true);
        goals.releaseController(goals.heartbeat(control));
        out.println("  proof passed 3/3 gates; goal delivered: " + done.status() + " at " + done.completedAt());
        out.println();
        GoalCommand.print(out, db.read(tx -> GoalCommand.read(tx, GOAL, 8)));
        return done;
    }

    /**
     * One worker: claims the next ready task, then the slice lease over the paths it writes; does the work, records
     * evidence and a log, and lets both go. The tests task fails once (a flaky endpoint) and is retried.
     */
    private static void work(Cairn db, String name, PrintWriter out) {
        GoalStore goals = db.goals();
        while (true) {
            Optional<TaskClaim> claimed = goals.tasks().claimTask(GOAL, name, Duration.ofMinutes(5));
            if (claimed.isEmpty()) {
                if (goals.tasks().byGoal(GOAL).stream().allMatch(t -> t.status().isFinal())) {
                    return;
                }
                LockSupport.parkNanos(2_000_000); // the other worker holds what comes next
                continue;
            }
            TaskClaim claim = claimed.get();
            Task task = claim.task();
            ClaimResult lease = goals.leases().tryClaim(GOAL, task.id(), Owner.current(), name, task.writeSet());
            if (!(lease instanceof ClaimResult.Claimed held)) {
                goals.tasks().release(claim);
                out.println("  " + name + ": " + task.id() + " must wait: " + refusal(lease));
                continue;
            }
            SliceLease kept = goals.leases().heartbeat(held.lease()); // still alive: keep the paths
            claim = goals.tasks().heartbeat(claim, Duration.ofMinutes(5)); // still alive: keep the task
            boolean flaky = task.id().equals("tests") && task.retryCount() == 0;
            if (!flaky) {
                goals.artifacts().register(GOAL, "log", "logs/" + task.id() + ".log", "text/plain", 4_096L, null);
            }
            // The paths are let go before the task is, so whoever takes the task next can lease them.
            goals.leases().release(kept);
            if (flaky) {
                goals.tasks().fail(claim, List.of("endpoint timed out"));
                out.println("  " + name + ": " + task.id() + " failed (endpoint timed out); back to pending, retry 1/"
                        + task.maxRetries());
            } else {
                goals.tasks().complete(claim, List.of(task.id() + " done by " + name));
                out.println("  " + name + ": " + task.id() + " done under lease " + held.lease().id() + " on "
                        + String.join(", ", task.writeSet()));
            }
        }
    }

    private static String refusal(ClaimResult result) {
        if (result instanceof ClaimResult.SliceHeld held) {
            return "its slice is leased by " + held.holder().ownerRole() + " (lease " + held.holder().id() + ")";
        }
        ClaimResult.WriteSetOverlap overlap = (ClaimResult.WriteSetOverlap) result;
        return String.join(", ", overlap.paths()) + " overlap lease " + overlap.conflicting().id() + " of "
                + overlap.conflicting().ownerRole();
    }
}
