package dev.cairn.goals.internal;

import dev.cairn.ConflictException;
import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import dev.cairn.Owner;
import dev.cairn.StaleClaimException;
import dev.cairn.goals.ClaimResult;
import dev.cairn.goals.LeaseStore;
import dev.cairn.goals.SliceLease;
import dev.cairn.internal.Session;
import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Slice leases on a session, and the SQL of the {@code goal_slice_leases} table. A lease is active while both
 * {@code released_at} and {@code expired_at} are NULL; the partial unique index of migration goal_store allows one
 * active lease per (goal, slice) in the database itself, whatever the code does. Its owner is the id, host and pid of
 * migration ownership; every time here (claim, heartbeat, release, expiry) is the store's shared clock, so owners on
 * hosts whose clocks differ are judged alike.
 */
final class SqlLeaseStore implements LeaseStore {
    private static final String COLUMNS = "lease_id, goal_id, slice_id, owner_id, owner_host, owner_pid, owner_role, "
            + "write_set, claimed_at, heartbeat_at, released_at, expired_at";
    private static final String ACTIVE = "released_at IS NULL AND expired_at IS NULL";
    /** The lease as its owner holds it: the same id and owner, still active. */
    private static final String HELD = "lease_id = ? AND owner_id = ? AND " + ACTIVE;

    private final Session session;
    private final GoalEvents events;

    SqlLeaseStore(Session session, GoalEvents events) {
        this.session = session;
        this.events = events;
    }

    @Override
    public ClaimResult tryClaim(String goalId, String sliceId, Owner owner, String ownerRole, List<String> writeSet) {
        if (sliceId == null || sliceId.isBlank()) {
            throw new InvalidInputException("a slice lease of goal " + goalId + " needs a slice id");
        }
        SqlGoalStore.requireOwner(owner, "claiming slice " + sliceId + " of goal " + goalId);
        List<String> paths = new ArrayList<>(new LinkedHashSet<>((writeSet == null ? List.<String>of() : writeSet)
                .stream().map(Paths::normalise).toList()));
        // One write transaction (IMMEDIATE on SQLite): the checks below and the insert cannot interleave with
        // another claim, in this process or another.
        return session.write(c -> {
            GoalTable.lock(c, session.dialect(), goalId);
            List<SliceLease> active = active(c, goalId);
            for (SliceLease lease : active) {
                if (lease.sliceId().equals(sliceId)) {
                    return new ClaimResult.SliceHeld(lease);
                }
            }
            for (SliceLease lease : active) {
                List<String> overlap = Paths.overlapping(paths, lease.writeSet());
                if (!overlap.isEmpty()) {
                    return new ClaimResult.WriteSetOverlap(lease, overlap);
                }
            }
            Instant now = session.sharedNow(c);
            SliceLease lease = Sql.one(c, "INSERT INTO goal_slice_leases (goal_id, slice_id, owner_id, owner_host, "
                    + "owner_pid, owner_role, write_set, claimed_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "RETURNING " + COLUMNS, SqlLeaseStore::map, goalId, sliceId, owner.id(), owner.host(),
                    owner.pid(), ownerRole, JsonLists.write(paths), now, now).orElseThrow();
            events.leaseClaimed(lease);
            return new ClaimResult.Claimed(lease);
        });
    }

    /**
     * A lease of an imported goal with the times the other store recorded; still active when neither released nor
     * expired, held by an owner that no longer heartbeats, so {@link #expireStale} ends it like any lease whose owner
     * stopped. Recorded by the import's own events, not by {@code goal.lease-claimed}. The write set is normalised as
     * a claim's is.
     */
    static SliceLease insertImported(Connection c, String goalId, String sliceId, Owner owner, String ownerRole,
            List<String> writeSet, Instant claimedAt, Instant heartbeatAt, Instant releasedAt, Instant expiredAt)
            throws SQLException {
        List<String> paths = new ArrayList<>(new LinkedHashSet<>(writeSet.stream().map(Paths::normalise).toList()));
        return Sql.one(c, "INSERT INTO goal_slice_leases (goal_id, slice_id, owner_id, owner_host, owner_pid, "
                + "owner_role, write_set, claimed_at, heartbeat_at, released_at, expired_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS, SqlLeaseStore::map, goalId, sliceId,
                owner.id(), owner.host(), owner.pid(), ownerRole, JsonLists.write(paths), claimedAt, heartbeatAt,
                releasedAt, expiredAt).orElseThrow();
    }

    @Override
    public SliceLease heartbeat(SliceLease lease) {
        return session.write(c -> {
            // Conditional, so a lease released or expired by another process meanwhile is reported, not revived.
            if (Sql.update(c, "UPDATE goal_slice_leases SET heartbeat_at = ? WHERE " + HELD, session.sharedNow(c),
                    lease.id(), lease.owner().id()) == 1) {
                return find(c, lease.id()).orElseThrow();
            }
            throw stale(find(c, lease.id()).orElseThrow(() -> notFound(lease.id())), lease);
        });
    }

    /** Why {@code held} may no longer be heartbeat, naming what ended it and who holds the slice now. */
    private static StaleClaimException stale(SliceLease now, SliceLease held) {
        String ended = now.releasedAt() != null ? "released at " + now.releasedAt()
                : now.expiredAt() != null ? "expired at " + now.expiredAt() + " (its heartbeat, at "
                        + now.heartbeatAt() + ", was older than the stale window)"
                        : "held by " + now.owner() + ", not " + held.owner();
        return new StaleClaimException(StaleClaimException.Claimed.SLICE, held.goalId(), held.sliceId(),
                String.valueOf(held.id()), "lease " + held.id() + " of " + held.owner() + " on slice "
                        + held.sliceId() + " of goal " + held.goalId() + " is no longer current: " + ended
                        + ". Nothing was changed; stop writing its paths and claim the slice again");
    }

    @Override
    public boolean release(SliceLease lease) {
        return session.write(c -> {
            if (Sql.update(c, "UPDATE goal_slice_leases SET released_at = ? WHERE " + HELD, session.sharedNow(c),
                    lease.id(), lease.owner().id()) == 0) {
                find(c, lease.id()).orElseThrow(() -> notFound(lease.id()));
                return false;
            }
            events.leaseReleased(find(c, lease.id()).orElseThrow());
            return true;
        });
    }

    @Override
    public SliceLease revoke(long leaseId, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("releasing lease " + leaseId + " needs a reason, recorded in the goal's "
                    + "history");
        }
        return session.write(c -> {
            SliceLease lease = find(c, leaseId).orElseThrow(() -> notFound(leaseId));
            // Conditional, so a lease its owner released or another process expired meanwhile is reported, not
            // released twice.
            if (Sql.update(c, "UPDATE goal_slice_leases SET released_at = ? WHERE lease_id = ? AND " + ACTIVE,
                    session.sharedNow(c), leaseId) == 0) {
                SliceLease ended = find(c, leaseId).orElseThrow(() -> notFound(leaseId));
                throw new ConflictException("lease " + leaseId + " of " + lease.owner() + " on slice "
                        + lease.sliceId() + " of goal " + lease.goalId() + " is no longer active: "
                        + (ended.releasedAt() != null ? "released at " + ended.releasedAt()
                                : "expired at " + ended.expiredAt()) + ". Nothing was changed");
            }
            SliceLease released = find(c, leaseId).orElseThrow();
            events.leaseRevoked(released, reason);
            return released;
        });
    }

    @Override
    public List<SliceLease> expireStale(Duration staleAfter) {
        if (staleAfter == null || staleAfter.isNegative()) {
            throw new InvalidInputException("expiring stale leases needs a stale window of zero or more, was "
                    + staleAfter);
        }
        return session.write(c -> {
            Instant now = session.sharedNow(c);
            Instant cutoff = now.minus(staleAfter);
            List<SliceLease> expired = new ArrayList<>();
            for (SliceLease stale : Sql.list(c, "SELECT " + COLUMNS + " FROM goal_slice_leases WHERE " + ACTIVE
                    + " AND heartbeat_at < ? ORDER BY lease_id", SqlLeaseStore::map, cutoff)) {
                // Re-checked in the update: another process may have released, expired or heartbeat it meanwhile.
                if (Sql.update(c, "UPDATE goal_slice_leases SET expired_at = ? WHERE lease_id = ? AND " + ACTIVE
                        + " AND heartbeat_at < ?", now, stale.id(), cutoff) == 0) {
                    continue;
                }
                SliceLease lease = find(c, stale.id()).orElseThrow();
                events.leaseExpired(lease);
                expired.add(lease);
            }
            return expired;
        });
    }

    @Override
    public Optional<SliceLease> get(long leaseId) {
        return session.read(c -> find(c, leaseId));
    }

    @Override
    public List<SliceLease> active(String goalId) {
        return session.read(c -> {
            GoalTable.require(c, goalId);
            return active(c, goalId);
        });
    }

    @Override
    public List<SliceLease> active() {
        return session.read(c -> Sql.list(c, "SELECT " + COLUMNS + " FROM goal_slice_leases WHERE " + ACTIVE
                + " ORDER BY lease_id", SqlLeaseStore::map));
    }

    private static List<SliceLease> active(Connection c, String goalId) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM goal_slice_leases WHERE goal_id = ? AND " + ACTIVE
                + " ORDER BY lease_id", SqlLeaseStore::map, goalId);
    }

    private static Optional<SliceLease> find(Connection c, long leaseId) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM goal_slice_leases WHERE lease_id = ?", SqlLeaseStore::map,
                leaseId);
    }

    private static NotFoundException notFound(long leaseId) {
        return new NotFoundException("lease " + leaseId + " does not exist (or its goal was deleted); list leases "
                + "with 'cairn leases'");
    }

    private static SliceLease map(ResultSet row) throws SQLException {
        return new SliceLease(row.getLong("lease_id"), row.getString("goal_id"), row.getString("slice_id"),
                GoalTable.owner(row, "owner_id", "owner_host", "owner_pid"), row.getString("owner_role"),
                JsonLists.strings(row.getString("write_set")),
                Instant.ofEpochMilli(row.getLong("claimed_at")), Instant.ofEpochMilli(row.getLong("heartbeat_at")),
                Sql.nullableInstant(row, "released_at"), Sql.nullableInstant(row, "expired_at"));
    }
}
