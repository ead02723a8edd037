package dev.cairn.goals;

/** How a finished goal's changes are delivered: kept local, as a draft pull request, or as a pull request. */
public enum DeliveryPolicy {
    LOCAL,
    DRAFT_PR,
    AUTO_PR;

    public static DeliveryPolicy of(String name) {
        return StoredNames.parse(DeliveryPolicy.class, name);
    }

    @Override
    public String toString() {
        return StoredNames.of(this);
    }
}
