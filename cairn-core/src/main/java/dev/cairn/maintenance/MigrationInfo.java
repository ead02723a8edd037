package dev.cairn.maintenance;

import java.time.Instant;
import java.util.Optional;

/**
 * One schema migration: its number, name and checksum, and when it was applied to this database (empty while it is
 * pending).
 */
public record MigrationInfo(int version, String name, String checksum, Optional<Instant> appliedAt) {
    /** The file the migration ships in, e.g. {@code 0001_foundation.sql}. */
    public String fileName() {
        return String.format("%04d_%s.sql", version, name);
    }

    public boolean applied() {
        return appliedAt.isPresent();
    }
}
