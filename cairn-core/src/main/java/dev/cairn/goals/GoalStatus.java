package dev.cairn.goals;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a goal stands; stored by its lower-case name. {@link #READY} and {@link #CANCELLED} are terminal: nothing
 * leaves them, and reaching them sets the goal's completion time. {@link #canMoveTo} is the whole transition table
 * the store enforces (see docs/goals.md).
 */
public enum GoalStatus {
    RUNNING("running"),
    READY("ready"),
    NOT_READY("not_ready"),
    BLOCKED_ON_HUMAN("blocked_on_human"),
    BLOCKED_ON_EXTERNAL("blocked_on_external"),
    NEEDS_MORE_BUDGET("needs_more_budget"),
    FAILED_INFRA("failed_infra"),
    PAUSED("paused"),
    CANCELLED("cancelled");

    private final String storedName;

    GoalStatus(String storedName) {
        this.storedName = storedName;
    }

    /** The name stored in the database and in JSON; it never changes, so existing databases keep reading. */
    @JsonValue
    public String storedName() {
        return storedName;
    }

    /** The constant stored as {@code name}; an unknown name is refused with an {@link InvalidInputException}. */
    @JsonCreator
    public static GoalStatus fromStored(String name) {
        for (GoalStatus value : values()) {
            if (value.storedName.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not a goal status; use one of "
                + Arrays.stream(values()).map(GoalStatus::storedName).collect(Collectors.joining(", ")));
    }

    /** The stored name, for display; persist with {@link #storedName()}. */
    @Override
    public String toString() {
        return storedName;
    }

    public boolean isTerminal() {
        return this == READY || this == CANCELLED;
    }

    /** The statuses a goal in this status may move to; empty for the terminal ones. */
    public Set<GoalStatus> next() {
        return switch (this) {
            // start, stop, pause, cancel, budget exhausted, deliver (ready or blocked on a person), and the two
            // ways a run can be held up that are not a person.
            case RUNNING -> EnumSet.of(NOT_READY, PAUSED, CANCELLED, NEEDS_MORE_BUDGET, READY, BLOCKED_ON_HUMAN,
                    BLOCKED_ON_EXTERNAL, FAILED_INFRA);
            case NOT_READY -> EnumSet.of(RUNNING, PAUSED, CANCELLED, NEEDS_MORE_BUDGET, READY, BLOCKED_ON_HUMAN,
                    BLOCKED_ON_EXTERNAL, FAILED_INFRA);
            case BLOCKED_ON_HUMAN -> EnumSet.of(RUNNING, NOT_READY, PAUSED, CANCELLED, NEEDS_MORE_BUDGET, READY);
            case BLOCKED_ON_EXTERNAL, NEEDS_MORE_BUDGET, FAILED_INFRA -> EnumSet.of(RUNNING, NOT_READY, PAUSED,
                    CANCELLED);
            // A paused goal comes back only through resume (to not_ready), so nothing restarts it by accident.
            case PAUSED -> EnumSet.of(NOT_READY, CANCELLED);
            case READY, CANCELLED -> EnumSet.noneOf(GoalStatus.class);
        };
    }

    public boolean canMoveTo(GoalStatus target) {
        return next().contains(target);
    }
}
