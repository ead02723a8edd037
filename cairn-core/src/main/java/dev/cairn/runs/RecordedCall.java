package dev.cairn.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A side-effecting call a step made through {@link StepScope#call}: the request as redacted JSON, the response exactly
 * as returned.
 *
 * @param stepPosition the position of the step that made it
 * @param position 1 for the step's first call, 2 for the next, ...
 * @param cost what it cost, when the caller said
 */
public record RecordedCall(
        String runId,
        int stepPosition,
        int position,
        String kind,
        JsonNode request,
        JsonNode response,
        Instant startedAt,
        Duration duration,
        Optional<Cost> cost) {}
