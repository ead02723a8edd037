package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.IllegalTransitionException;
import dev.cairn.InvalidInputException;
import dev.cairn.Owner;
import dev.cairn.Transaction;
import dev.cairn.events.RecordedEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A goal's event stream is its history: written with every change, in the same transaction, gone with the goal. */
class GoalHistoryTest extends StoreFixture {
    List<RecordedEvent> history(String goalId) {
        return db.events().readStream(Goal.streamId(goalId), 0).toList();
    }

    List<String> types(String goalId) {
        return history(goalId).stream().map(RecordedEvent::type).toList();
    }

    @Test
    void everyChangeAppendsToTheGoalsStream() {
        goals.create(GoalSpec.of("h", "record everything", dir.toString()));
        goals.start("h");
        goals.updatePhase("h", GoalPhase.EXECUTION);
        ControllerClaim control = goals.claimController("h", Owner.current()).orElseThrow();
        goals.tasks().createBatch("h", List.of(TaskSpec.of("h", "a", "A"), TaskSpec.of("h", "b", "B")));
        TaskClaim claim = goals.tasks().claimTask("h", "w", Duration.ofMinutes(1)).orElseThrow();
        goals.tasks().heartbeat(claim, Duration.ofMinutes(1)); // liveness, not history
        goals.tasks().complete(claim, List.of("tests green"));
        goals.tasks().replaceTaskGraph("h", List.of(TaskSpec.of("h", "c", "C")));
        goals.proofs().upsert("h", ProofSpec.of("pending", null, "first", List.of()));
        goals.proofs().upsert("h", ProofSpec.of("passed", "ready", "second",
                List.of(GateResult.passed("test", "mvn test", "ok"))));
        goals.budgets().append("h", new BudgetUse("cp", 1, 2, Money.ofCents(3)));
        goals.artifacts().register("h", "log", "out.log", "text/plain", 1L, null);
        goals.decisions().append("h", DecisionSpec.of("lead", GoalPhase.EXECUTION, "scope", "ship", "why not"));
        SliceLease lease = ((ClaimResult.Claimed) goals.leases().tryClaim("h", "s", Owner.current(), "w",
                List.of("x"))).lease();
        goals.leases().heartbeat(lease); // liveness, not history
        goals.heartbeat(control); // liveness, not history
        goals.leases().release(lease);
        goals.releaseController(control);
        goals.deliver("h", true);

        assertThat(types("h")).containsExactly("goal.created", "goal.status-changed", "goal.phase-changed",
                "goal.controller-claimed", "goal.tasks-added", "goal.task-claimed", "goal.task-completed",
                "goal.task-graph-replaced", "goal.proof-recorded", "goal.proof-recorded", "goal.budget-checkpoint",
                "goal.artifact-registered", "goal.decision-recorded", "goal.lease-claimed", "goal.lease-released",
                "goal.controller-released", "goal.status-changed");
        List<RecordedEvent> events = history("h");
        assertThat(events.get(1).payloadTree().get("from").asText()).isEqualTo("not_ready");
        assertThat(events.get(1).payloadTree().get("to").asText()).isEqualTo("running");
        // Earlier proof versions stay readable in the stream after the upsert replaced them.
        assertThat(events.get(8).payloadTree().get("summary").asText()).isEqualTo("first");
        assertThat(events.get(8).payloadTree().get("version").asLong()).isEqualTo(1);
        assertThat(events.get(9).payloadTree().get("version").asLong()).isEqualTo(2);
        // A controller's claim is recorded with its owner and token, so every takeover shows which claim it voided.
        assertThat(events.get(3).payloadTree().get("owner").get("id").asText()).isEqualTo(Owner.current().id());
        assertThat(events.get(3).payloadTree().get("claim").asText()).isEqualTo(control.token());
        assertThat(events.get(3).payloadTree().get("previousOwner").isNull()).isTrue();
        assertThat(events.get(15).payloadTree().get("claim").asText()).isEqualTo(control.token());
        assertThat(events.get(6).payloadTree().get("evidence").get(0).asText()).isEqualTo("tests green");
        // The claim and its completion name the same token: the history shows which claim did the work.
        assertThat(events.get(5).payloadTree().get("claim").asText()).isEqualTo(claim.token());
        assertThat(events.get(6).payloadTree().get("claim").asText()).isEqualTo(claim.token());
        assertThat(events.get(6).payloadTree().get("claimOwner").asText()).isEqualTo("w");
    }

    @Test
    void aRefusedChangeAppendsNothing() {
        goals.create(GoalSpec.of("r", "refusals", "/p"));
        long before = db.events().streamVersion("goal:r");
        assertThatThrownBy(() -> goals.resume("r")).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> goals.tasks().createBatch("r", List.of(TaskSpec.of("r", "a", "A")
                .withDependsOn("ghost")))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> goals.artifacts().register("r", "log", "../x", null, null, null))
                .isInstanceOf(InvalidInputException.class);
        assertThat(goals.leases().tryClaim("r", "s", Owner.of("host-a"), "w", List.of("a")).claimed()).isTrue();
        assertThat(goals.leases().tryClaim("r", "s", Owner.of("host-b"), "w", List.of("b")).claimed()).isFalse();
        assertThat(db.events().streamVersion("goal:r")).isEqualTo(before + 1); // only the successful claim
    }

    @Test
    void aRolledBackTransactionTakesTheGoalsEventsWithIt() {
        try (Transaction tx = db.begin()) {
            tx.goals().create(GoalSpec.of("tx", "rolled back", "/p"));
            tx.goals().start("tx");
            assertThat(tx.events().streamVersion("goal:tx")).isEqualTo(1);
            tx.rollback();
        }
        assertThat(goals.find("tx")).isEmpty();
        assertThat(history("tx")).isEmpty();
    }

    @Test
    void deletingAGoalDeletesItsStreamAndNoOtherGoals() {
        goals.create(GoalSpec.of("gone", "deleted", "/p"));
        goals.create(GoalSpec.of("kept", "kept", "/p"));
        goals.start("gone");
        goals.start("kept");
        assertThat(history("gone")).hasSize(2);
        goals.delete("gone");
        assertThat(history("gone")).isEmpty();
        assertThat(db.events().streamVersion("goal:gone")).isEqualTo(-1);
        assertThat(types("kept")).containsExactly("goal.created", "goal.status-changed");
        // The id may be used again, and its new history starts afresh.
        goals.create(GoalSpec.of("gone", "again", "/p"));
        assertThat(types("gone")).containsExactly("goal.created");
    }
}
