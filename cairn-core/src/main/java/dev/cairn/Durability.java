package dev.cairn;

/**
 * How hard a commit pushes its data to disk before it returns ({@code PRAGMA synchronous} in SQLite).
 *
 * <p>Both levels are equally safe against a <em>process</em> crash (a killed JVM, an OOM, {@code kill -9}): a
 * transaction that returned from commit is in the write-ahead log and survives. They differ only when the whole
 * machine loses power or the kernel crashes.
 */
public enum Durability {
    /**
     * The default. The write-ahead log is synced at each checkpoint, not at each commit: after a power failure the
     * last transactions committed before it may be missing, but the database is never corrupt and never holds a
     * partial transaction. Several times faster than {@link #FULL} for small commits.
     */
    NORMAL,
    /** Every commit is synced to disk before it returns: an acknowledged commit survives a power failure too. */
    FULL
}
