package dev.cairn.goals;

import java.util.List;

/** The files goals produced. */
public interface ArtifactStore {
    /**
     * Registers a file of the goal. {@code path} must be relative and stay inside the goal's project directory once
     * normalised (no absolute paths, no {@code ..} escape), else {@link dev.cairn.InvalidInputException}.
     *
     * @param sizeBytes null when unknown
     * @param sha256 64 hex digits, or null when unknown
     */
    Artifact register(String goalId, String kind, String path, String mimeType, Long sizeBytes, String sha256);

    /** The goal's artifacts in the order they were registered. */
    List<Artifact> byGoal(String goalId);

    /** The goal's artifacts of one kind, in the order they were registered. */
    List<Artifact> byGoal(String goalId, String kind);

    int deleteByGoal(String goalId);
}
