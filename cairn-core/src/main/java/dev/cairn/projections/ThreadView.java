package dev.cairn.projections;

import dev.cairn.events.orchestration.InteractionMode;
import dev.cairn.events.orchestration.RuntimeMode;
import java.time.Instant;

/** A thread as its events left it, with counts of its messages and turns. */
public record ThreadView(String threadId, String projectId, String title, String model, String branch,
        String worktreePath, RuntimeMode runtimeMode, InteractionMode interactionMode, boolean archived,
        String latestTurnId, long messageCount, long turnCount, Instant lastMessageAt, Instant createdAt,
        Instant updatedAt) {}
