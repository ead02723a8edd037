package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.ConflictException;
import dev.cairn.IllegalTransitionException;
import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import dev.cairn.Owner;
import dev.cairn.StaleClaimException;
import dev.cairn.events.RecordedEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repairs an operator makes when a holder is gone: releasing a goal's controller (only once it is stale, unless
 * forced and recorded as a decision), resetting a running or failed task, revoking a slice lease by its id. Each
 * voids what it takes, records why on the goal's stream, and a refusal changes nothing.
 */
class OperatorRepairTest extends StoreFixture {
    static final Duration STALE = Duration.ofSeconds(30);
    static final Duration LEASE = Duration.ofMinutes(5);

    // This process's pid, so that on SQLite the pid check finds it running and only the clock decides staleness.
    final Owner controller = Owner.of("ctl-host");
    final Owner worker = Owner.of("worker-host");

    @BeforeEach
    void aRunningGoal() {
        goals.create(GoalSpec.of("g", "repair me", "/p"));
        goals.tasks().createBatch("g", List.of(TaskSpec.of("g", "a", "A"), TaskSpec.of("g", "b", "B")));
        goals.start("g");
    }

    long streamVersion() {
        return db.events().streamVersion(Goal.streamId("g"));
    }

    RecordedEvent lastEvent() {
        List<RecordedEvent> events = db.events().readStream(Goal.streamId("g"), 0).toList();
        return events.get(events.size() - 1);
    }

    @Test
    void aLiveControllerIsNotReleasedAStaleOneIs() {
        ControllerClaim claim = goals.claimController("g", controller, STALE).orElseThrow();
        Goal before = goals.get("g");
        long events = streamVersion();
        assertThatThrownBy(() -> goals.releaseController("g", STALE, "looks stuck"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("goal g is controlled by " + controller.id())
                .hasMessageContaining("host ctl-host")
                .hasMessageContaining("Nothing was changed");
        assertThat(goals.get("g")).isEqualTo(before);
        assertThat(streamVersion()).isEqualTo(events);

        clock.advance(STALE.plusSeconds(1));
        assertThat(goals.listOrphaned(STALE)).extracting(Goal::id).containsExactly("g");
        Goal released = goals.releaseController("g", STALE, "its host was reimaged");
        assertThat(released.controller()).isNull();
        assertThat(released.heartbeatAt()).isNull();
        assertThat(released.version()).isEqualTo(before.version() + 1);
        assertThat(released.status()).isEqualTo(GoalStatus.RUNNING);
        JsonNode payload = lastEvent().payloadTree();
        assertThat(lastEvent().type()).isEqualTo("goal.controller-released");
        assertThat(payload.get("claim").asText()).isEqualTo(claim.token());
        assertThat(payload.get("owner").get("id").asText()).isEqualTo(controller.id());
        assertThat(payload.get("reason").asText()).isEqualTo("its host was reimaged");
        assertThat(payload.get("forced").asBoolean()).isFalse();
        // The released controller's late heartbeat is refused; another owner takes the goal at once.
        assertThatThrownBy(() -> goals.heartbeat(claim)).isInstanceOf(StaleClaimException.class);
        assertThat(goals.claimController("g", Owner.of("other-host"), STALE)).isPresent();
        assertThat(goals.decisions().byGoal("g")).isEmpty();
    }

    @Test
    void forcingReleasesALiveControllerAndRecordsTheDecision() {
        ControllerClaim claim = goals.claimController("g", controller, STALE).orElseThrow();
        Goal released = goals.forceReleaseController("g", "alice@ops-host", "wedged in a loop, pid will not die");
        assertThat(released.controller()).isNull();
        assertThatThrownBy(() -> goals.heartbeat(claim)).isInstanceOf(StaleClaimException.class);
        assertThat(lastEvent().type()).isEqualTo("goal.decision-recorded");
        List<Decision> decisions = goals.decisions().byGoal("g");
        assertThat(decisions).hasSize(1);
        assertThat(decisions.get(0).actor()).isEqualTo("alice@ops-host");
        assertThat(decisions.get(0).kind()).isEqualTo("operator");
        assertThat(decisions.get(0).decision()).contains(controller.id()).contains("by force");
        assertThat(decisions.get(0).rationale()).isEqualTo("wedged in a loop, pid will not die");
        List<RecordedEvent> events = db.events().readStream(Goal.streamId("g"), 0).toList();
        JsonNode release = events.get(events.size() - 2).payloadTree();
        assertThat(release.get("forced").asBoolean()).isTrue();
    }

    @Test
    void refusalsChangeNothing() {
        long events = streamVersion();
        Goal before = goals.get("g");
        assertThatThrownBy(() -> goals.releaseController("g", STALE, "why"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("goal g has no controller");
        assertThatThrownBy(() -> goals.forceReleaseController("g", "alice", "why"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("goal g has no controller");
        assertThatThrownBy(() -> goals.releaseController("nope", STALE, "why"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> goals.releaseController("g", STALE, " "))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> goals.forceReleaseController("g", "", "why"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(goals.get("g")).isEqualTo(before);
        assertThat(streamVersion()).isEqualTo(events);
        assertThat(goals.decisions().byGoal("g")).isEmpty();
    }

    @Test
    void aFailedTaskIsResetToPendingWithItsRetriesKept() {
        TaskStore tasks = goals.tasks();
        for (int attempt = 0; attempt <= 3; attempt++) {
            tasks.fail(tasks.claimTask("g", "a", "worker-1", LEASE).orElseThrow(), List.of("red " + attempt));
        }
        assertThat(tasks.get("g", "a").status()).isEqualTo(TaskStatus.FAILED);
        Task reset = tasks.resetTask("g", "a", "the flaky dependency is fixed");
        assertThat(reset.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(reset.retryCount()).isEqualTo(3);
        assertThat(reset.owner()).isNull();
        assertThat(tasks.get("g", "a")).isEqualTo(reset);
        assertThat(lastEvent().type()).isEqualTo("goal.task-reset");
        assertThat(lastEvent().payloadTree().get("from").asText()).isEqualTo("failed");
        assertThat(lastEvent().payloadTree().get("reason").asText()).isEqualTo("the flaky dependency is fixed");
        // One more attempt, and its retries are still used up: a failure fails it again.
        tasks.fail(tasks.claimTask("g", "a", "worker-1", LEASE).orElseThrow(), null);
        assertThat(tasks.get("g", "a").status()).isEqualTo(TaskStatus.FAILED);

        tasks.complete(tasks.claimTask("g", "b", "worker-1", LEASE).orElseThrow(), null);
        long events = streamVersion();
        assertThatThrownBy(() -> tasks.resetTask("g", "b", "again"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("task b of goal g is done, not running or failed");
        assertThat(streamVersion()).isEqualTo(events);
    }

    @Test
    void aLeaseIsRevokedByItsIdWhoeverHoldsIt() {
        SliceLease lease = ((ClaimResult.Claimed) goals.leases().tryClaim("g", "s1", worker, "worker",
                List.of("src"))).lease();
        SliceLease revoked = goals.leases().revoke(lease.id(), "worker-host was reimaged");
        assertThat(revoked.releasedAt()).isNotNull();
        assertThat(goals.leases().active("g")).isEmpty();
        assertThat(lastEvent().type()).isEqualTo("goal.lease-revoked");
        assertThat(lastEvent().payloadTree().get("reason").asText()).isEqualTo("worker-host was reimaged");
        assertThat(lastEvent().payloadTree().get("lease").get("id").asLong()).isEqualTo(lease.id());
        assertThatThrownBy(() -> goals.leases().heartbeat(lease)).isInstanceOf(StaleClaimException.class);
        assertThat(goals.leases().tryClaim("g", "s1", Owner.of("other-host"), "worker", List.of("src")))
                .isInstanceOf(ClaimResult.Claimed.class);

        long events = streamVersion();
        assertThatThrownBy(() -> goals.leases().revoke(lease.id(), "again"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("lease " + lease.id())
                .hasMessageContaining("is no longer active: released at");
        assertThatThrownBy(() -> goals.leases().revoke(999_999, "why")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("lease 999999 does not exist");
        assertThat(streamVersion()).isEqualTo(events);
    }
}
