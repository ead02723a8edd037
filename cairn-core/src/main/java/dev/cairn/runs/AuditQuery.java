package dev.cairn.runs;

import dev.cairn.InvalidInputException;
import java.time.Instant;
import java.util.Optional;

/**
 * Which audit entries to read: start from {@link #all()} and narrow it. Results come oldest first, and are the newest
 * {@code limit} entries that match.
 *
 * @param event an exact event name, or a prefix followed by {@code *} ({@code step.*})
 */
public record AuditQuery(
        Optional<String> runId,
        AuditLevel atLeast,
        Optional<String> event,
        Optional<Instant> since,
        int limit) {
    public static final int DEFAULT_LIMIT = 100;

    public AuditQuery {
        if (limit < 1) {
            throw new InvalidInputException("an audit query's limit must be at least 1, was " + limit);
        }
    }

    /** Every entry, up to {@value #DEFAULT_LIMIT}. */
    public static AuditQuery all() {
        return new AuditQuery(Optional.empty(), AuditLevel.DEBUG, Optional.empty(), Optional.empty(), DEFAULT_LIMIT);
    }

    public AuditQuery forRun(String runId) {
        return new AuditQuery(Optional.of(runId), atLeast, event, since, limit);
    }

    public AuditQuery atLeast(AuditLevel level) {
        return new AuditQuery(runId, level, event, since, limit);
    }

    public AuditQuery event(String event) {
        return new AuditQuery(runId, atLeast, Optional.of(event), since, limit);
    }

    public AuditQuery since(Instant since) {
        return new AuditQuery(runId, atLeast, event, Optional.of(since), limit);
    }

    public AuditQuery limit(int limit) {
        return new AuditQuery(runId, atLeast, event, since, limit);
    }
}
