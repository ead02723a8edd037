package dev.cairn.runs;

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
        Optional<String> message) {

    /** How long the step took, once it ended. */
    public Optional<Duration> duration() {
        return finishedAt.map(end -> Duration.between(startedAt, end));
    }
}
