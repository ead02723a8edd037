package dev.cairn.goals;

import dev.cairn.InvalidInputException;
import java.time.Instant;

/**
 * Which goals {@link GoalStore#list} returns, newest first. Null fields do not filter. Page with
 * {@link #after(String)} and the {@link GoalSummary#cursor()} of the last goal of the previous page.
 *
 * @param olderThan only goals created before this instant
 * @param text only goals whose original or normalized text contains this, ignoring case
 * @param limit at most this many, 1 to 1000
 * @param cursor start after the goal this cursor names
 */
public record GoalFilter(GoalStatus status, GoalPhase phase, String kind, Instant olderThan, String text, int limit,
        String cursor) {
    public static final int MAX_LIMIT = 1000;

    public GoalFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("a goal list limit is 1 to " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** Every goal, 100 at a time. */
    public static GoalFilter all() {
        return new GoalFilter(null, null, null, null, null, 100, null);
    }

    public GoalFilter withStatus(GoalStatus status) {
        return new GoalFilter(status, phase, kind, olderThan, text, limit, cursor);
    }

    public GoalFilter withPhase(GoalPhase phase) {
        return new GoalFilter(status, phase, kind, olderThan, text, limit, cursor);
    }

    public GoalFilter withKind(String kind) {
        return new GoalFilter(status, phase, kind, olderThan, text, limit, cursor);
    }

    public GoalFilter olderThan(Instant instant) {
        return new GoalFilter(status, phase, kind, instant, text, limit, cursor);
    }

    public GoalFilter containing(String text) {
        return new GoalFilter(status, phase, kind, olderThan, text, limit, cursor);
    }

    public GoalFilter limit(int limit) {
        return new GoalFilter(status, phase, kind, olderThan, text, limit, cursor);
    }

    public GoalFilter after(String cursor) {
        return new GoalFilter(status, phase, kind, olderThan, text, limit, cursor);
    }
}
