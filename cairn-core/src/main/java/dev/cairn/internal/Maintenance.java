package dev.cairn.internal;

import dev.cairn.maintenance.BackupOptions;
import dev.cairn.maintenance.BackupResult;
import dev.cairn.maintenance.CheckpointResult;
import dev.cairn.maintenance.IntegrityReport;
import java.nio.file.Path;

/** The engine-specific upkeep of an open store: copies, compaction, checks and sizes. */
public interface Maintenance {
    BackupResult backupTo(Path destination, BackupOptions options);

    void vacuum();

    BackupResult vacuumInto(Path destination, boolean overwrite);

    IntegrityReport integrityCheck();

    CheckpointResult checkpoint();

    long fileBytes();

    long walBytes();
}
