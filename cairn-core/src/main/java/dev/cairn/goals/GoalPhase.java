package dev.cairn.goals;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The stage of work a goal is in, from intake to proof; stored by its lower-case name. */
public enum GoalPhase {
    INTAKE,
    PLANNING,
    DECOMPOSITION,
    EXECUTION,
    VERIFICATION_DESIGN,
    PROOF;

    /** The phase stored under {@code name}, for example {@code verification_design}. */
    @JsonCreator
    public static GoalPhase of(String name) {
        return StoredNames.parse(GoalPhase.class, name);
    }

    /** The stored name, also used in JSON. */
    @JsonValue
    @Override
    public String toString() {
        return StoredNames.of(this);
    }
}
