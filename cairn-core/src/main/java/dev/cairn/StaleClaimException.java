package dev.cairn;

/**
 * A claim that is no longer current was used: a goal's controller, a task's claim, a slice lease or a run's scope that
 * was taken over (once its heartbeat went stale, or a run resumed elsewhere), released, expired or reset. Nothing was
 * changed. Its holder must stop working on what it claimed (another owner may be working on it now) and claim again if
 * there is still work to do. The message names the claim, its token and who or what holds the thing now.
 */
public class StaleClaimException extends ConflictException {
    /** What kind of thing the stale claim was on. */
    public enum Claimed {
        /** A goal's controller ({@code goals().claimController}). */
        CONTROLLER,
        /** A running task ({@code goals().tasks().claimTask}). */
        TASK,
        /** A slice of a goal ({@code goals().leases().tryClaim}). */
        SLICE,
        /** A run of the ledger, held by the scope that began or last resumed it ({@code runs().resume}). */
        RUN
    }

    private final Claimed claimed;
    private final String goalId;
    private final String claimedId;
    private final String token;

    /** {@code message} names the claim and says what holds the thing now. */
    public StaleClaimException(Claimed claimed, String goalId, String claimedId, String token, String message) {
        super(message);
        this.claimed = claimed;
        this.goalId = goalId;
        this.claimedId = claimedId;
        this.token = token;
    }

    public Claimed claimed() {
        return claimed;
    }

    /** The goal concerned; null for a run. */
    public String goalId() {
        return goalId;
    }

    /** The task's or the slice's id; the goal's id for its controller; the run's id. */
    public String claimedId() {
        return claimedId;
    }

    /** The stale claim's fencing token (a slice lease's is its lease id). */
    public String token() {
        return token;
    }
}
