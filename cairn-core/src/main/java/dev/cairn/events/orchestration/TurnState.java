package dev.cairn.events.orchestration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Where a turn is: requested, running, interrupted, completed, or ended in an error. */
public enum TurnState {
    REQUESTED("requested"),
    RUNNING("running"),
    INTERRUPTED("interrupted"),
    COMPLETED("completed"),
    ERROR("error");

    private final String storedName;

    TurnState(String storedName) {
        this.storedName = storedName;
    }

    /** The name stored in the database and in JSON; it never changes, so existing databases keep reading. */
    @JsonValue
    public String storedName() {
        return storedName;
    }

    /** The constant stored as {@code name}; an unknown name is refused with an {@link InvalidInputException}. */
    @JsonCreator
    public static TurnState fromStored(String name) {
        for (TurnState value : values()) {
            if (value.storedName.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not a turn state; use one of "
                + Arrays.stream(values()).map(TurnState::storedName).collect(Collectors.joining(", ")));
    }

    /** The stored name, for display; persist with {@link #storedName()}. */
    @Override
    public String toString() {
        return storedName;
    }
}
