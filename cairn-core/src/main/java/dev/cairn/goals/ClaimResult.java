package dev.cairn.goals;

import java.util.List;

/** The answer to {@link LeaseStore#tryClaim}: the lease, or why the claim was refused. */
public sealed interface ClaimResult {
    /** The claim succeeded. */
    record Claimed(SliceLease lease) implements ClaimResult {}

    /** Another worker holds an active lease on the same slice. */
    record SliceHeld(SliceLease holder) implements ClaimResult {}

    /** An active lease of another slice of the goal reserves some of the same paths. */
    record WriteSetOverlap(SliceLease conflicting, List<String> paths) implements ClaimResult {
        public WriteSetOverlap {
            paths = List.copyOf(paths);
        }
    }

    default boolean claimed() {
        return this instanceof Claimed;
    }
}
