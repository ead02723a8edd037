package dev.cairn.maintenance;

import java.nio.file.Path;
import java.time.Duration;

/** A finished copy of the store: where it is, how large, and how long it took. */
public record BackupResult(Path path, long bytes, Duration took) {}
