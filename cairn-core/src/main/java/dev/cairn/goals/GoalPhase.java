package dev.cairn.goals;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The stage of work a goal is in, from intake to proof; stored by its lower-case name. */
public enum GoalPhase {
    INTAKE("intake"),
    PLANNING("planning"),
    DECOMPOSITION("decomposition"),
    EXECUTION("execution"),
    VERIFICATION_DESIGN("verification_design"),
    PROOF("proof");

    private final String storedName;

    GoalPhase(String storedName) {
        this.storedName = storedName;
    }

    /** The name stored in the database and in JSON; it never changes, so existing databases keep reading. */
    @JsonValue
    public String storedName() {
        return storedName;
    }

    /** The constant stored as {@code name}; an unknown name is refused with an {@link InvalidInputException}. */
    @JsonCreator
    public static GoalPhase fromStored(String name) {
        for (GoalPhase value : values()) {
            if (value.storedName.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not a goal phase; use one of "
                + Arrays.stream(values()).map(GoalPhase::storedName).collect(Collectors.joining(", ")));
    }

    /** The stored name, for display; persist with {@link #storedName()}. */
    @Override
    public String toString() {
        return storedName;
    }
}
