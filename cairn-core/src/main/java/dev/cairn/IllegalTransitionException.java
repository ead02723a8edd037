package dev.cairn;

/**
 * A goal or task was asked to move between two statuses that the store does not connect (resuming a goal that is not
 * paused, pausing a cancelled one ...). Nothing was changed; the message names the goal, both statuses and what is
 * possible from the current one.
 */
public class IllegalTransitionException extends ConflictException {
    private final String goalId;
    private final String from;
    private final String to;

    /** {@code message} says what was refused and what is possible instead. */
    public IllegalTransitionException(String goalId, String from, String to, String message) {
        super(message);
        this.goalId = goalId;
        this.from = from;
        this.to = to;
    }

    /** The goal concerned (for a task, the goal it belongs to). */
    public String goalId() {
        return goalId;
    }

    /** The stored name of the status it is in. */
    public String from() {
        return from;
    }

    /** The stored name of the status it was asked to move to. */
    public String to() {
        return to;
    }
}
