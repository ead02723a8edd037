package dev.cairn.goals;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a finished goal's changes are delivered: kept local, as a draft pull request, or as a pull request. */
public enum DeliveryPolicy {
    LOCAL,
    DRAFT_PR,
    AUTO_PR;

    @JsonCreator
    public static DeliveryPolicy of(String name) {
        return StoredNames.parse(DeliveryPolicy.class, name);
    }

    /** The stored name, also used in JSON. */
    @JsonValue
    @Override
    public String toString() {
        return StoredNames.of(this);
    }
}
