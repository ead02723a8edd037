package dev.cairn.projections;

import java.time.Instant;

/** An approval the agent asked for that nobody has decided yet. */
public record PendingApproval(String approvalId, String threadId, String turnId, String kind, String summary,
        Instant requestedAt) {}
