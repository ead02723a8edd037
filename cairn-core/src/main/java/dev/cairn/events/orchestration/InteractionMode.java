package dev.cairn.events.orchestration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How a thread's agent works: normally, or planning first. */
public enum InteractionMode {
    DEFAULT("default"),
    PLAN("plan");

    private final String storedName;

    InteractionMode(String storedName) {
        this.storedName = storedName;
    }

    /** The name stored in the database and in JSON; it never changes, so existing databases keep reading. */
    @JsonValue
    public String storedName() {
        return storedName;
    }

    /** The constant stored as {@code name}; an unknown name is refused with an {@link InvalidInputException}. */
    @JsonCreator
    public static InteractionMode fromStored(String name) {
        for (InteractionMode value : values()) {
            if (value.storedName.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not an interaction mode; use one of "
                + Arrays.stream(values()).map(InteractionMode::storedName).collect(Collectors.joining(", ")));
    }

    /** The stored name, for display; persist with {@link #storedName()}. */
    @Override
    public String toString() {
        return storedName;
    }
}
