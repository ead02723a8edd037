package dev.cairn.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One step of a run, in the order the run began them.
 *
 * @param position 1 for the run's first step, 2 for the next it began, ...
 * @param stats a JSON object: what the step recorded, and {@code duration_ms} once it ended
 * @param message why the step failed or was skipped
 * @param result what a step with a result type returned, as JSON exactly as returned; empty for other steps
 * @param exceptionClass the class of the exception a failed step threw, when it threw one
 * @param attempts how often its body began: more than once only for a step in flight when its run's owner died, or
 *     one that failed before its run was resumed
 */
public record Step(
        String id,
        String runId,
        int position,
        String name,
        Instant startedAt,
        Optional<Instant> finishedAt,
        StepStatus status,
        JsonNode stats,
        Optional<String> message,
        // Absent from JSON when there is none, so that an archive tells it from a step that returned null.
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<JsonNode> result,
        Optional<String> exceptionClass,
        int attempts) {

    public Step {
        result = result == null ? Optional.empty() : result;
    }

    /** How long the step took, once it ended. */
    public Optional<Duration> duration() {
        return finishedAt.map(end -> Duration.between(startedAt, end));
    }
}
