package dev.cairn.events;

import java.util.Optional;

/**
 * A live tail of the log: delivers every event after its starting position to its handler, in the log's order, once
 * each, including events appended later by other threads and other processes, until closed.
 */
public interface Subscription extends AutoCloseable {
    /** The position of the last event delivered (the starting position before any): where to resume later. */
    LogPosition position();

    /** Whether it still delivers: neither closed, nor stopped by a failing handler or a closed store. */
    boolean isRunning();

    /** Why it stopped, when the handler threw or reading failed. */
    Optional<Throwable> failure();

    /** Stops delivering and waits for a handler call in progress to return (unless called from the handler). */
    @Override
    void close();
}
