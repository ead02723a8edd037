package dev.cairn.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * One line of the audit log. Its run is empty when it belongs to none, or when its run was pruned: the entry keeps
 * its text but loses the link.
 *
 * @param id increasing in the order entries were written
 * @param scope the part of the agent that wrote it: a step's name, {@code run}, {@code ledger}, or the caller's own
 * @param data a JSON value with secrets redacted; JSON {@code null} when none was given
 */
public record AuditEntry(
        long id,
        Instant at,
        AuditLevel level,
        Optional<String> runId,
        String scope,
        String event,
        String message,
        JsonNode data) {}
