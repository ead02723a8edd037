package dev.cairn.goals;

import java.time.Instant;

/**
 * A file a goal produced, registered by its path relative to the goal's project directory.
 *
 * @param path normalised, relative, inside the project directory
 * @param sizeBytes its size, or null when unknown
 * @param sha256 its SHA-256 as 64 lower-case hex digits, or null when unknown
 */
public record Artifact(long id, String goalId, String kind, String path, String mimeType, Long sizeBytes,
        String sha256, Instant createdAt) {}
