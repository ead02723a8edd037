package dev.cairn.events.orchestration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Who wrote a message. */
public enum Role {
    USER("user"),
    ASSISTANT("assistant"),
    SYSTEM("system");

    private final String storedName;

    Role(String storedName) {
        this.storedName = storedName;
    }

    /** The name stored in the database and in JSON; it never changes, so existing databases keep reading. */
    @JsonValue
    public String storedName() {
        return storedName;
    }

    /** The constant stored as {@code name}; an unknown name is refused with an {@link InvalidInputException}. */
    @JsonCreator
    public static Role fromStored(String name) {
        for (Role value : values()) {
            if (value.storedName.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not a role; use one of "
                + Arrays.stream(values()).map(Role::storedName).collect(Collectors.joining(", ")));
    }

    /** The stored name, for display; persist with {@link #storedName()}. */
    @Override
    public String toString() {
        return storedName;
    }
}
