package dev.cairn.goals;

/** Whether delivered changes are merged: never, by a person, or automatically once the proof's gates pass. */
public enum MergePolicy {
    DISABLED,
    MANUAL,
    GATED;

    public static MergePolicy of(String name) {
        return StoredNames.parse(MergePolicy.class, name);
    }

    @Override
    public String toString() {
        return StoredNames.of(this);
    }
}
