package dev.cairn.goals;

import dev.cairn.Owner;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An owner's exclusive claim on one slice of a goal, reserving the paths it will write. Active until it is released
 * or expired. It is its own fencing token: a new claim on the slice is a new lease with a new id, so once this one
 * was expired (its heartbeat went stale) or released, {@link LeaseStore#heartbeat} with it is refused.
 *
 * @param owner who holds it
 * @param writeSet the normalised paths it reserves
 * @param heartbeatAt its last heartbeat, on the store's shared clock ({@link dev.cairn.Repositories#sharedNow()})
 */
public record SliceLease(long id, String goalId, String sliceId, Owner owner, String ownerRole,
        List<String> writeSet, Instant claimedAt, Instant heartbeatAt, Instant releasedAt, Instant expiredAt) {
    public SliceLease {
        Objects.requireNonNull(owner, "owner");
        writeSet = List.copyOf(writeSet);
    }

    public boolean isActive() {
        return releasedAt == null && expiredAt == null;
    }
}
