package dev.cairn.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Who caused an event: a client (a person's UI or CLI), the server (the runtime itself), or a model provider. */
public enum ActorKind {
    CLIENT("client"),
    SERVER("server"),
    PROVIDER("provider");

    private final String storedName;

    ActorKind(String storedName) {
        this.storedName = storedName;
    }

    /** The name stored in the database and in JSON; it never changes, so existing databases keep reading. */
    @JsonValue
    public String storedName() {
        return storedName;
    }

    /** The constant stored as {@code name}; an unknown name is refused with an {@link InvalidInputException}. */
    @JsonCreator
    public static ActorKind fromStored(String name) {
        for (ActorKind value : values()) {
            if (value.storedName.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not an actor kind; use one of "
                + Arrays.stream(values()).map(ActorKind::storedName).collect(Collectors.joining(", ")));
    }

    /** The stored name, for display; persist with {@link #storedName()}. */
    @Override
    public String toString() {
        return storedName;
    }
}
