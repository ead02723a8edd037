package dev.cairn.goals;

import dev.cairn.Owner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Slice leases: an owner's exclusive claim on one slice of a goal, reserving the paths it writes. At most one active
 * lease per slice (the database enforces it), and no two active leases of a goal reserve overlapping paths: equal
 * paths, or one a directory prefix of the other. A lease stays active until released or expired; its owner heartbeats
 * it well within the stale window, and {@link #expireStale} ends those whose heartbeat is older, on the store's shared
 * clock, so that another owner can take the slice. Times come from the store, never from the caller's clock.
 */
public interface LeaseStore {
    /** Claims the slice for {@code owner}, atomically across threads, processes and hosts; the result says why not. */
    ClaimResult tryClaim(String goalId, String sliceId, Owner owner, String ownerRole, List<String> writeSet);

    /**
     * Records that the lease's owner is alive; returns the lease with its new heartbeat. Accepted while the lease is
     * active, even when its heartbeat had gone stale but nobody expired it yet. A lease that was released or expired
     * is a {@link dev.cairn.StaleClaimException} (stop writing its paths: another owner may hold them now); one whose
     * goal was deleted a {@link dev.cairn.NotFoundException}.
     */
    SliceLease heartbeat(SliceLease lease);

    /** Releases the lease; returns false if it was no longer active (nothing is changed then). */
    boolean release(SliceLease lease);

    /**
     * Operator repair: releases the active lease {@code leaseId} whoever holds it, so that its slice may be claimed
     * again; its owner's heartbeats are refused from then on. {@code reason} is recorded on the goal's stream. Returns
     * the lease, released. An unknown lease is a {@link dev.cairn.NotFoundException}, one already released or expired
     * a {@link dev.cairn.ConflictException}; nothing is changed.
     */
    SliceLease revoke(long leaseId, String reason);

    /**
     * Expires every active lease whose last heartbeat is older than {@code staleAfter} on the store's shared clock,
     * and returns them, expired; their owners' heartbeats are refused from then on.
     */
    List<SliceLease> expireStale(Duration staleAfter);

    Optional<SliceLease> get(long leaseId);

    /** The goal's active leases, oldest first. */
    List<SliceLease> active(String goalId);

    /** Every active lease of every goal, oldest first. */
    List<SliceLease> active();
}
