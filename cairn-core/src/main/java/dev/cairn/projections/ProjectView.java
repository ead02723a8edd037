package dev.cairn.projections;

import java.time.Instant;

/** A project as its events left it. */
public record ProjectView(String projectId, String title, String workspaceRoot, String defaultModel,
        Instant createdAt, Instant updatedAt) {}
