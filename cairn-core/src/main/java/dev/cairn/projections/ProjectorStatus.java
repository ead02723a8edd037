package dev.cairn.projections;

import java.time.Instant;

/** How far a projector has applied the log, against the log's head. */
public record ProjectorStatus(String projector, long lastAppliedSequence, long headSequence, Instant updatedAt) {
    /** Whether it has applied every event: when not, its tables are being rebuilt (or need a rebuild). */
    public boolean caughtUp() {
        return lastAppliedSequence >= headSequence;
    }
}
