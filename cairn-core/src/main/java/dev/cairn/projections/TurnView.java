package dev.cairn.projections;

import dev.cairn.events.orchestration.CheckpointStatus;
import dev.cairn.events.orchestration.TurnState;
import java.time.Instant;
import java.util.List;

/** A turn of a thread; {@code ordinal} counts the thread's turns from 1. */
public record TurnView(String turnId, String threadId, long ordinal, TurnState state, Instant requestedAt,
        Instant startedAt, Instant completedAt, String checkpointRef, CheckpointStatus checkpointStatus,
        List<String> changedFiles) {}
