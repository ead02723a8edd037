package dev.cairn.projections;

import dev.cairn.events.orchestration.CheckpointStatus;
import java.time.Instant;
import java.util.List;

/** The checkpoint a completed turn left: a ref to a snapshot of the worktree, and the files the turn changed. */
public record CheckpointView(String threadId, String turnId, String checkpointRef, CheckpointStatus status,
        List<String> changedFiles, Instant createdAt) {}
