package dev.cairn.goals;

import java.time.Instant;

/**
 * A file a goal produced, registered by its path relative to a directory: the goal's project directory, or for an
 * artifact imported from another store the directory that store kept it in ({@code baseDir}).
 *
 * @param path normalised, relative, inside the project directory (or inside {@code baseDir})
 * @param sizeBytes its size, or null when unknown
 * @param sha256 its SHA-256 as 64 lower-case hex digits, or null when unknown
 * @param baseDir the absolute directory {@code path} is relative to when that is not the goal's project directory
 *     (an imported goal's files, left where omk kept them or copied by the import); null for the project directory
 */
public record Artifact(long id, String goalId, String kind, String path, String mimeType, Long sizeBytes,
        String sha256, Instant createdAt, String baseDir) {}
