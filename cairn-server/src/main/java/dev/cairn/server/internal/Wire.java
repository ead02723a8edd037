package dev.cairn.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.Owner;
import dev.cairn.events.ActorKind;
import dev.cairn.events.EventMetadata;
import dev.cairn.events.RecordedEvent;
import dev.cairn.goals.Artifact;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.ControllerClaim;
import dev.cairn.goals.Decision;
import dev.cairn.goals.GateResult;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.GoalSummary;
import dev.cairn.goals.SliceLease;
import dev.cairn.goals.Task;
import dev.cairn.goals.TaskClaim;
import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.Run;
import dev.cairn.runs.Step;
import dev.cairn.server.internal.Shapes.Omittable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The records the API reads and writes where the library's own records do not fit the wire: requests (closed, every
 * component required unless {@link Omittable}), lists wrapped in objects, and events with their payload as JSON
 * rather than text. Library records ({@code Goal}, {@code Task}, {@code Proof} ...) are sent as they are.
 */
public final class Wire {
    private Wire() {}

    // ---- errors

    /**
     * Every refusal: {@code error} is the kind (a stable word a client branches on), {@code message} the library's
     * words; {@code currentVersion} is set on a conflict over a version (the stream's or the goal's version now).
     */
    public record ErrorBody(String error, String message, Long currentVersion) {}

    /** The server runs and its store answers: {@code head} is the log's last readable position. */
    public record Health(String status, String version, String head) {}

    // ---- events

    /**
     * An event to append; without {@code eventId} the store gives it one when it is appended, {@code schemaVersion}
     * defaults to 1.
     */
    public record EventIn(String type, ObjectNode payload, @Omittable String eventId, @Omittable Integer schemaVersion,
            @Omittable MetadataIn metadata, @Omittable Instant occurredAt) {}

    /** Who and what caused an event; the command id is the append's, not each event's. */
    public record MetadataIn(@Omittable ActorKind actorKind, @Omittable String causationId,
            @Omittable String correlationId, @Omittable Map<String, String> extra) {}

    /**
     * An append to one stream: all or nothing, if the stream is at {@code expectedVersion} (-1: the stream must not
     * exist; left out: any version); with a {@code commandId}, sending it again returns the first append's events and
     * writes nothing.
     */
    public record AppendIn(@Omittable Long expectedVersion, @Omittable String commandId, List<EventIn> events) {}

    /**
     * An event as stored. {@code position} is its {@code LogPosition} in text form: {@code SEQUENCE}, or
     * {@code TRANSACTION:SEQUENCE} when its transaction order is not 0; pass it back as {@code after}.
     */
    public record EventOut(String position, String eventId, String streamId, long streamVersion, String type,
            int schemaVersion, ObjectNode payload, EventMetadata metadata, Instant occurredAt, Instant recordedAt) {
        static EventOut of(RecordedEvent event) {
            return new EventOut(event.position().toString(), event.eventId().toString(), event.streamId(),
                    event.streamVersion(), event.type(), event.schemaVersion(), (ObjectNode) event.payloadTree(),
                    event.metadata(), event.occurredAt(), event.recordedAt());
        }
    }

    public record Appended(String streamId, long streamVersion, List<EventOut> events) {}

    /** A page of the log; {@code last} is the position to read on from (the request's {@code after} when empty). */
    public record EventPage(List<EventOut> events, String last) {}

    public record StreamEvents(String streamId, long version, List<EventOut> events) {}

    /** The position of the last event readers can see: tail from it to get only what comes later. */
    public record Head(String position) {}

    // ---- goals

    public record BudgetIn(@Omittable Long timeSeconds, @Omittable Long tokens, @Omittable Long moneyCents) {}

    public record GoalIn(@Omittable String id, String text, String projectDir, @Omittable String normalizedText,
            @Omittable String kind, @Omittable GoalPhase phase, @Omittable BudgetIn budget,
            @Omittable ObjectNode terminalCriteria, @Omittable Integer maxAgents) {}

    public record Goals(List<GoalSummary> goals, String next) {}

    /** Moves a goal if it is still at {@code expectedVersion}; {@code phase} left out keeps the phase. */
    /** {@code controller}: the claim of the controller making the move; given, the move is fenced by it. */
    public record GoalStatusIn(long expectedVersion, GoalStatus status, @Omittable GoalPhase phase,
            @Omittable ControllerTokenIn controller) {}

    /** {@code controller}: the claim of the controller making the move; given, the move is fenced by it. */
    public record GoalPhaseIn(GoalPhase phase, @Omittable ControllerTokenIn controller) {}

    /** Who asks to control a goal; {@code staleAfterMs} defaults to 30 000. */
    public record ControllerIn(Owner owner, @Omittable Long staleAfterMs) {}

    /** The claim, or null with who holds the goal instead. */
    public record ControllerResult(ControllerClaim claim, Owner heldBy) {}

    /** A controller claim as handed out: its owner and fencing token. */
    public record ControllerTokenIn(Owner owner, String token) {}

    public record Released(boolean released) {}

    // ---- tasks

    public record TaskIn(String id, @Omittable String title, @Omittable String description, @Omittable String kind,
            @Omittable List<String> readSet, @Omittable List<String> writeSet, @Omittable List<String> dependsOn,
            @Omittable List<String> acceptance, @Omittable String risk, @Omittable Integer maxRetries) {}

    /** Tasks to add to the graph, or ({@code replace}) to replace the whole graph with, atomically. */
    public record PlanIn(List<TaskIn> tasks, @Omittable Boolean replace) {}

    public record Tasks(List<Task> tasks) {}

    /** Claims the first ready task, or the named one, for {@code owner} for {@code leaseMs}. */
    public record ClaimIn(String owner, long leaseMs, @Omittable String taskId) {}

    /** The claim, or null when no task (or not the named one) was ready. */
    public record ClaimResult(TaskClaim claim) {}

    /** A task claim as handed out: its owner and fencing token. */
    public record TaskHeartbeatIn(String owner, String token, long leaseMs) {}

    public record TaskEndIn(String owner, String token, @Omittable List<String> evidence) {}

    public record TaskReleaseIn(String owner, String token) {}

    // ---- slice leases, proofs, budgets, artifacts, decisions

    public record LeaseIn(String sliceId, Owner owner, String ownerRole, List<String> writeSet) {}

    /**
     * {@code outcome} is {@code claimed} (with {@code lease}), {@code slice_held} (with the holder as {@code lease})
     * or {@code write_set_overlap} (with the conflicting lease and the shared {@code paths}).
     */
    public record LeaseResult(String outcome, SliceLease lease, List<String> paths) {}

    public record Leases(List<SliceLease> leases) {}

    public record ProofIn(String status, @Omittable String readiness, @Omittable String summary,
            @Omittable List<GateResult> gates, @Omittable List<String> changedFiles, @Omittable List<String> commits,
            @Omittable Boolean postMutationGatesRan, @Omittable List<String> knownGaps,
            @Omittable List<String> humanDecisionsRequired, @Omittable ObjectNode details) {}

    /** What a goal had used so far (totals); {@code moveGoalWhenExhausted} moves it to needs_more_budget. */
    public record CheckpointIn(String label, long elapsedSeconds, long tokensUsed, @Omittable Long spentCents,
            @Omittable Boolean moveGoalWhenExhausted) {}

    public record Checkpoints(List<BudgetCheckpoint> checkpoints) {}

    public record ArtifactIn(String kind, String path, @Omittable String mimeType, @Omittable Long sizeBytes,
            @Omittable String sha256) {}

    public record Artifacts(List<Artifact> artifacts) {}

    public record DecisionIn(String actor, String decision, @Omittable GoalPhase phase, @Omittable String kind,
            @Omittable String rationale, @Omittable List<String> constraints, @Omittable List<String> artifacts) {}

    public record Decisions(List<Decision> decisions) {}

    // ---- runs and audit

    /** A run to begin: what it was started with and its configuration (secrets are redacted when written). */
    public record RunIn(@Omittable JsonNode args, @Omittable JsonNode config, @Omittable String gitSha) {}

    /** Outcome of a recorded step. */
    public enum StepOutcome {
        SUCCESS("success"), FAILED("failed"), SKIPPED("skipped");

        private final String text;

        StepOutcome(String text) {
            this.text = text;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String text() {
            return text;
        }
    }

    /** One step, recorded whole: begun, its stats added, and ended with its outcome (and message, unless success). */
    public record StepIn(String name, StepOutcome outcome, @Omittable String message, @Omittable ObjectNode stats) {}

    public record Steps(List<Step> steps) {}

    public record Runs(List<Run> runs) {}

    public record AuditIn(@Omittable String runId, AuditLevel level, String scope, String event, String message,
            @Omittable JsonNode data) {}

    public record AuditEntries(List<AuditEntry> entries) {}
}
