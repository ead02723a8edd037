package dev.cairn.maintenance;

/**
 * How {@link dev.cairn.Cairn#backupTo} copies: whether it may replace an existing file, and whom it tells about its
 * progress.
 */
public record BackupOptions(boolean overwrite, Progress progress) {
    /** Told after each step of a backup; called on the thread that runs the backup. */
    @FunctionalInterface
    public interface Progress {
        void update(long copiedPages, long totalPages);
    }

    public static BackupOptions defaults() {
        return new BackupOptions(false, (copied, total) -> {});
    }

    public BackupOptions withOverwrite(boolean overwrite) {
        return new BackupOptions(overwrite, progress);
    }

    public BackupOptions withProgress(Progress progress) {
        return new BackupOptions(overwrite, progress);
    }
}
