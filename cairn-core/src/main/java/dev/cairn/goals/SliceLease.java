package dev.cairn.goals;

import java.time.Instant;
import java.util.List;

/**
 * A worker process's exclusive claim on one slice of a goal, reserving the paths it will write. Active until it is
 * released or expired.
 *
 * @param writeSet the normalised paths it reserves
 */
public record SliceLease(long id, String goalId, String sliceId, long ownerPid, String ownerRole,
        List<String> writeSet, Instant claimedAt, Instant heartbeatAt, Instant releasedAt, Instant expiredAt) {
    public SliceLease {
        writeSet = List.copyOf(writeSet);
    }

    public boolean isActive() {
        return releasedAt == null && expiredAt == null;
    }
}
