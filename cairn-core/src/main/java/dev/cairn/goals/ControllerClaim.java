package dev.cairn.goals;

import dev.cairn.Owner;
import java.time.Instant;
import java.util.Objects;

/**
 * A process's control of one goal, as {@link GoalStore#claimController} hands it out. Its {@code token} fences the
 * control: {@link GoalStore#heartbeat(ControllerClaim)}, {@link GoalStore#releaseController(ControllerClaim)} and
 * every change made through {@link GoalStore#fencedBy(ControllerClaim)} act only while it is the goal's current one.
 * Another owner's claim replaces it once its heartbeat is older than the stale window; from then on every heartbeat
 * or fenced change with it is a {@link dev.cairn.StaleClaimException} that changes nothing.
 *
 * @param token the opaque fencing token of this control; it is not readable from the goal, so keep the claim
 * @param heartbeatAt the last heartbeat the store recorded, on its shared clock
 *     ({@link dev.cairn.Repositories#sharedNow()})
 */
public record ControllerClaim(String goalId, Owner owner, String token, Instant heartbeatAt) {
    public ControllerClaim {
        Objects.requireNonNull(goalId, "goalId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
        return "control " + token + " of goal " + goalId + " by " + owner;
    }
}
