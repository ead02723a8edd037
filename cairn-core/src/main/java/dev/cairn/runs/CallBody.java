package dev.cairn.runs;

/** The side effect of one recorded call; whatever it throws reaches the caller, and nothing is recorded. */
@FunctionalInterface
public interface CallBody<R, E extends Exception> {
    R call() throws E;
}
