package dev.cairn.maintenance;

/**
 * The outcome of folding the write-ahead log back into the database file. {@code complete} is false when a reader
 * still needed part of the log; the rest is folded in by a later checkpoint.
 */
public record CheckpointResult(boolean complete, long logFrames, long checkpointedFrames) {}
