package dev.cairn.goals;

/** The stage of work a goal is in, from intake to proof; stored by its lower-case name. */
public enum GoalPhase {
    INTAKE,
    PLANNING,
    DECOMPOSITION,
    EXECUTION,
    VERIFICATION_DESIGN,
    PROOF;

    /** The phase stored under {@code name}, for example {@code verification_design}. */
    public static GoalPhase of(String name) {
        return StoredNames.parse(GoalPhase.class, name);
    }

    @Override
    public String toString() {
        return StoredNames.of(this);
    }
}
