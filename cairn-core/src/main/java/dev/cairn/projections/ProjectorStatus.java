package dev.cairn.projections;

import dev.cairn.events.LogPosition;
import java.time.Instant;

/** How far a projector has applied the log, against the position of the log's last readable event. */
public record ProjectorStatus(String projector, LogPosition lastApplied, LogPosition head, Instant updatedAt) {
    /** Whether it has applied every event: when not, its tables are being rebuilt (or need a rebuild). */
    public boolean caughtUp() {
        return lastApplied.compareTo(head) >= 0;
    }
}
