package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.events.ActorKind;
import dev.cairn.events.orchestration.ActivityTone;
import dev.cairn.events.orchestration.ApprovalDecision;
import dev.cairn.events.orchestration.CheckpointStatus;
import dev.cairn.events.orchestration.InteractionMode;
import dev.cairn.events.orchestration.Role;
import dev.cairn.events.orchestration.RuntimeMode;
import dev.cairn.events.orchestration.TurnState;
import dev.cairn.goals.DeliveryPolicy;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.MergePolicy;
import dev.cairn.goals.TaskStatus;
import dev.cairn.internal.Json;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.RunStatus;
import dev.cairn.runs.StepStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The names every persisted enum is stored under, in the database and in JSON, as they were when this test was
 * written. Existing databases hold these names: renaming a constant is fine, renaming its stored name is not.
 */
class StoredNamesTest {
    /** One persisted enum: its constants in order, their stored names, and its {@code fromStored}. */
    record Persisted(Class<? extends Enum<?>> type, List<String> names, Function<String, Enum<?>> fromStored) {
        @Override
        public String toString() {
            return type.getSimpleName();
        }
    }

    static Stream<Persisted> persistedEnums() {
        return Stream.of(
                new Persisted(GoalStatus.class, List.of("running", "ready", "not_ready", "blocked_on_human",
                        "blocked_on_external", "needs_more_budget", "failed_infra", "paused", "cancelled"),
                        GoalStatus::fromStored),
                new Persisted(GoalPhase.class, List.of("intake", "planning", "decomposition", "execution",
                        "verification_design", "proof"), GoalPhase::fromStored),
                new Persisted(TaskStatus.class, List.of("pending", "ready", "running", "blocked", "done", "failed",
                        "cancelled"), TaskStatus::fromStored),
                new Persisted(MergePolicy.class, List.of("disabled", "manual", "gated"), MergePolicy::fromStored),
                new Persisted(DeliveryPolicy.class, List.of("local", "draft_pr", "auto_pr"), DeliveryPolicy::fromStored),
                new Persisted(ActorKind.class, List.of("client", "server", "provider"), ActorKind::fromStored),
                new Persisted(RunStatus.class, List.of("running", "success", "failed"), RunStatus::fromStored),
                new Persisted(StepStatus.class, List.of("running", "success", "failed", "skipped"),
                        StepStatus::fromStored),
                new Persisted(AuditLevel.class, List.of("debug", "info", "warn", "error"), AuditLevel::fromStored),
                new Persisted(Role.class, List.of("user", "assistant", "system"), Role::fromStored),
                new Persisted(TurnState.class, List.of("requested", "running", "interrupted", "completed", "error"),
                        TurnState::fromStored),
                new Persisted(RuntimeMode.class, List.of("approval-required", "full-access"), RuntimeMode::fromStored),
                new Persisted(CheckpointStatus.class, List.of("ready", "missing", "error"),
                        CheckpointStatus::fromStored),
                new Persisted(ApprovalDecision.class, List.of("accept", "acceptForSession", "decline", "cancel"),
                        ApprovalDecision::fromStored),
                new Persisted(ActivityTone.class, List.of("info", "tool", "approval", "error"),
                        ActivityTone::fromStored),
                new Persisted(InteractionMode.class, List.of("default", "plan"), InteractionMode::fromStored));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("persistedEnums")
    void storedNamesNeverChange(Persisted persisted) {
        Map<String, String> stored = new LinkedHashMap<>();
        for (Enum<?> constant : persisted.type().getEnumConstants()) {
            stored.put(constant.name(), storedName(constant));
        }
        assertThat(stored.values()).containsExactlyElementsOf(persisted.names());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("persistedEnums")
    void fromStoredReadsEveryStoredNameAndJacksonUsesTheSameNames(Persisted persisted) {
        Enum<?>[] constants = persisted.type().getEnumConstants();
        assertThat(constants).hasSameSizeAs(persisted.names());
        for (int i = 0; i < constants.length; i++) {
            String name = persisted.names().get(i);
            assertThat(persisted.fromStored().apply(name)).isSameAs(constants[i]);
            assertThat(Json.write(constants[i])).isEqualTo("\"" + name + "\"");
            assertThat(Json.read("\"" + name + "\"", persisted.type())).isSameAs(constants[i]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("persistedEnums")
    void anUnknownNameIsRefusedNamingTheValueAndTheEnum(Persisted persisted) {
        String words = persisted.type().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
        assertThatThrownBy(() -> persisted.fromStored().apply("no-such-name"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'no-such-name'")
                .hasMessageContaining(words)
                .hasMessageContaining(persisted.names().get(0));
        assertThatThrownBy(() -> persisted.fromStored().apply(persisted.names().get(0).toUpperCase() + "X"))
                .isInstanceOf(InvalidInputException.class);
    }

    private static String storedName(Enum<?> constant) {
        try {
            return (String) constant.getDeclaringClass().getMethod("storedName").invoke(constant);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(constant.getDeclaringClass() + " has no public storedName()", e);
        }
    }
}
