package dev.cairn.goals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Slice leases: a worker process's exclusive claim on one slice of a goal, reserving the paths it writes. At most one
 * active lease per slice (the database enforces it), and no two active leases of a goal reserve overlapping paths:
 * equal paths, or one a directory prefix of the other. A lease stays active until released or expired; a worker
 * heartbeats it, and {@link #expireStale} ends those whose heartbeat is too old.
 */
public interface LeaseStore {
    /** Claims the slice, atomically across threads and processes; the result says why when it cannot. */
    ClaimResult tryClaim(String goalId, String sliceId, long ownerPid, String ownerRole, List<String> writeSet,
            Instant now);

    /**
     * Records that the lease's owner is alive. A lease that was released or expired is a
     * {@link dev.cairn.ConflictException} (the worker must stop writing); an unknown one a
     * {@link dev.cairn.NotFoundException}.
     */
    SliceLease heartbeat(long leaseId, Instant now);

    /** Releases the lease; returns false if it was no longer active. */
    boolean release(long leaseId, Instant now);

    /** Expires every active lease whose last heartbeat is older than {@code staleAfter}; returns them, expired. */
    List<SliceLease> expireStale(Instant now, Duration staleAfter);

    Optional<SliceLease> get(long leaseId);

    /** The goal's active leases, oldest first. */
    List<SliceLease> active(String goalId);

    /** Every active lease of every goal, oldest first. */
    List<SliceLease> active();
}
