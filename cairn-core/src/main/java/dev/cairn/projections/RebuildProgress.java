package dev.cairn.projections;

import dev.cairn.events.LogPosition;

/**
 * Told after each batch of a rebuild how far it is: the position of the last event applied, and of the log's last
 * readable event (which moves on while appends go on).
 */
@FunctionalInterface
public interface RebuildProgress {
    RebuildProgress NONE = (position, head) -> {};

    void progress(LogPosition position, LogPosition head);
}
