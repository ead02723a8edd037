package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Proofs, budget checkpoints, artifacts and decisions. */
class RecordsTest extends StoreFixture {
    @BeforeEach
    void aGoalWithABudget() {
        goals.create(GoalSpec.of("g", "ship it", "/work/project")
                .withBudget(new Budget(600L, 10_000L, Money.ofDollars("5.00"))));
    }

    @Test
    void proofUpsertBumpsTheVersionAndCountsGatesFromTheGates() {
        assertThat(goals.proofs().get("g")).isEmpty();
        List<GateResult> pending = List.of(GateResult.failed("build", "mvn package", "not run"),
                GateResult.failed("test", "mvn test", "not run"), GateResult.failed("lint", "spotless", "not run"));
        Proof first = goals.proofs().upsert("g", ProofSpec.of("pending", "not_ready", "waiting", pending));
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.gatesTotal()).isEqualTo(3);
        assertThat(first.gatesPassed()).isZero();

        clock.advance(Duration.ofMinutes(2));
        List<GateResult> passed = List.of(GateResult.passed("build", "mvn package", "ok"),
                GateResult.passed("test", "mvn test", "212 tests"), GateResult.passed("lint", "spotless", "clean"));
        ProofSpec spec = new ProofSpec("passed", "ready", "all green", passed, List.of("src/A.java"),
                List.of("abc123"), true, List.of("no load test"), List.of(), "{\"branch\":\"goal/g\"}");
        Proof second = goals.proofs().upsert("g", spec);
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.gatesPassed()).isEqualTo(3);
        assertThat(second.allGatesPassed()).isTrue();
        assertThat(second.generatedAt()).isEqualTo(clock.instant());
        assertThat(goals.proofs().get("g")).contains(second);
        assertThat(second.details()).contains("goal/g");

        assertThat(goals.proofs().delete("g")).isTrue();
        assertThat(goals.proofs().delete("g")).isFalse();
        assertThat(goals.proofs().get("g")).isEmpty();
        assertThatThrownBy(() -> goals.proofs().upsert("missing", spec)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> goals.proofs().upsert("g", new ProofSpec("passed", null, null, null, null, null,
                false, null, null, "[1]"))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void budgetCheckpointsComeBackInOrderWithRemainingDerived() {
        assertThat(goals.budgets().byGoal("g")).isEmpty();
        assertThat(goals.budgets().latest("g")).isEmpty();
        for (int i = 1; i <= 5; i++) {
            clock.advance(Duration.ofSeconds(10));
            goals.budgets().append("g", new BudgetUse("cp" + i, i * 60L, i * 1000L, Money.ofCents(i * 50L)));
        }
        List<BudgetCheckpoint> all = goals.budgets().byGoal("g");
        assertThat(all).extracting(BudgetCheckpoint::label).containsExactly("cp1", "cp2", "cp3", "cp4", "cp5");
        BudgetCheckpoint latest = goals.budgets().latest("g").orElseThrow();
        assertThat(latest).isEqualTo(all.get(4));
        assertThat(latest.remainingSeconds()).isEqualTo(300);
        assertThat(latest.remainingTokens()).isEqualTo(5000);
        assertThat(latest.remainingMoney()).isEqualTo(Money.ofCents(250));
        assertThat(latest.exhausted()).isFalse();
        assertThat(latest.status()).isEqualTo(GoalStatus.NOT_READY);
        assertThatThrownBy(() -> goals.budgets().byGoal("missing")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> new BudgetUse("neg", -1, 0, null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void crossingTheBudgetMovesTheGoalOnlyWhenAsked() {
        goals.start("g");
        BudgetCheckpoint over = goals.budgets().append("g", new BudgetUse("over", 10, 10, Money.ofDollars("5.001")));
        assertThat(over.exhausted()).isTrue();
        assertThat(over.remainingMoney()).isEqualTo(Money.ZERO);
        assertThat(goals.get("g").status()).isEqualTo(GoalStatus.RUNNING);
        goals.budgets().append("g", new BudgetUse("over again", 10, 10, Money.ofDollars("6")), true);
        assertThat(goals.get("g").status()).isEqualTo(GoalStatus.NEEDS_MORE_BUDGET);

        goals.create(GoalSpec.of("unlimited", "no limits", "/p"));
        BudgetCheckpoint free = goals.budgets().append("unlimited", new BudgetUse("x", 1_000_000, 1_000_000,
                Money.ofDollars("1000")), true);
        assertThat(free.exhausted()).isFalse();
        assertThat(free.remainingMoney()).isNull();
        assertThat(goals.get("unlimited").status()).isEqualTo(GoalStatus.NOT_READY);

        goals.create(GoalSpec.of("paused", "paused", "/p").withBudget(new Budget(1L, null, null)));
        goals.pause("paused");
        goals.budgets().append("paused", new BudgetUse("x", 5, 0, null), true);
        assertThat(goals.get("paused").status()).isEqualTo(GoalStatus.PAUSED); // the move is not allowed there
    }

    @Test
    void artifactsListByGoalAndKind() {
        goals.artifacts().register("g", "log", "logs/build.log", "text/plain", 120L, null);
        goals.artifacts().register("g", "patch", "./out/change.diff", "text/x-diff", null,
                "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
        goals.artifacts().register("g", "log", "logs/../logs/test.log", null, 0L, null);
        List<Artifact> all = goals.artifacts().byGoal("g");
        assertThat(all).extracting(Artifact::path).containsExactly("logs/build.log", "out/change.diff",
                "logs/test.log");
        assertThat(all.get(1).sha256()).startsWith("e3b0c442");
        assertThat(goals.artifacts().byGoal("g", "log")).extracting(Artifact::path)
                .containsExactly("logs/build.log", "logs/test.log");
        assertThat(goals.artifacts().byGoal("g", "image")).isEmpty();
    }

    @Test
    void artifactPathsThatLeaveTheProjectAreRefused() {
        for (String bad : List.of("/etc/passwd", "../secret", "logs/../../secret", "a/b/../../..", "", ".",
                "C:\\Windows\\x", "~/notes", "..\\..\\x")) {
            assertThatThrownBy(() -> goals.artifacts().register("g", "log", bad, null, null, null))
                    .as(bad).isInstanceOf(InvalidInputException.class).hasMessageContaining("goal g");
        }
        assertThatThrownBy(() -> goals.artifacts().register("g", "log", "ok.txt", null, -1L, null))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> goals.artifacts().register("g", "log", "ok.txt", null, null, "xyz"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(goals.artifacts().byGoal("g")).isEmpty();
        assertThatThrownBy(() -> goals.artifacts().register("missing", "log", "ok.txt", null, null, null))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void decisionsAreAppendedInOrder() {
        goals.decisions().append("g", new DecisionSpec("planner", GoalPhase.PLANNING, "scope", "only the API",
                "the UI is another goal", List.of("no schema change"), List.of("docs/plan.md")));
        goals.decisions().append("g", DecisionSpec.of("human", GoalPhase.EXECUTION, "approval", "go", null));
        List<Decision> decisions = goals.decisions().byGoal("g");
        assertThat(decisions).extracting(Decision::decision).containsExactly("only the API", "go");
        assertThat(decisions.get(0).constraints()).containsExactly("no schema change");
        assertThat(decisions.get(0).artifacts()).containsExactly("docs/plan.md");
        assertThat(decisions.get(1).phase()).isEqualTo(GoalPhase.EXECUTION);
        assertThat(goals.decisions().deleteByGoal("g")).isEqualTo(2);
        assertThat(goals.decisions().byGoal("g")).isEmpty();
    }
}
