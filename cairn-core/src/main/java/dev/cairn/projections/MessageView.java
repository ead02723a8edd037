package dev.cairn.projections;

import dev.cairn.events.orchestration.Role;
import java.time.Instant;

/** A message of a thread: its text so far, and whether more is still streaming in. */
public record MessageView(String messageId, String threadId, String turnId, Role role, String text,
        boolean streaming, Instant createdAt, Instant updatedAt) {}
