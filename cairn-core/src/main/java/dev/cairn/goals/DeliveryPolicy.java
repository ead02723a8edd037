package dev.cairn.goals;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How a finished goal's changes are delivered: kept local, as a draft pull request, or as a pull request. */
public enum DeliveryPolicy {
    LOCAL("local"),
    DRAFT_PR("draft_pr"),
    AUTO_PR("auto_pr");

    private final String storedName;

    DeliveryPolicy(String storedName) {
        this.storedName = storedName;
    }

    /** The name stored in the database and in JSON; it never changes, so existing databases keep reading. */
    @JsonValue
    public String storedName() {
        return storedName;
    }

    /** The constant stored as {@code name}; an unknown name is refused with an {@link InvalidInputException}. */
    @JsonCreator
    public static DeliveryPolicy fromStored(String name) {
        for (DeliveryPolicy value : values()) {
            if (value.storedName.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not a delivery policy; use one of "
                + Arrays.stream(values()).map(DeliveryPolicy::storedName).collect(Collectors.joining(", ")));
    }

    /** The stored name, for display; persist with {@link #storedName()}. */
    @Override
    public String toString() {
        return storedName;
    }
}
