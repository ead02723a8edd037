package dev.cairn.projections;

/** Told after each batch of a rebuild how far it is: the last sequence applied, and the log's head. */
@FunctionalInterface
public interface RebuildProgress {
    RebuildProgress NONE = (position, head) -> {};

    void progress(long position, long head);
}
