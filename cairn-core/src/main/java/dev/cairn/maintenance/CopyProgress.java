package dev.cairn.maintenance;

/**
 * Told how far a {@link dev.cairn.Cairn#copy store copy} got: after each batch of rows and at the end of each table,
 * on the thread that runs the copy.
 */
@FunctionalInterface
public interface CopyProgress {
    /**
     * @param table the table being copied
     * @param rowsDone rows copied so far, over all tables
     * @param rowsTotal rows to copy in all, counted in the source snapshot before the first row is written
     */
    void update(String table, long rowsDone, long rowsTotal);

    static CopyProgress none() {
        return (table, done, total) -> {};
    }
}
