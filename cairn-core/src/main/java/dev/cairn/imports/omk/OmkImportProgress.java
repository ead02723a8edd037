package dev.cairn.imports.omk;

/** Hears how far an omk import got, for a progress bar: called after each goal and every few thousand events. */
@FunctionalInterface
public interface OmkImportProgress {
    /** Hears nothing. */
    OmkImportProgress NONE = (goalsDone, goalsTotal, eventsDone) -> {};

    /**
     * @param goalsDone goals finished (imported, found unchanged, or skipped)
     * @param goalsTotal goals the import will look at
     * @param eventsDone omk events read so far, over all goals
     */
    void progress(int goalsDone, int goalsTotal, long eventsDone);
}
