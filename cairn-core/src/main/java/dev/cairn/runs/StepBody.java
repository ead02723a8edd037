package dev.cairn.runs;

/** The work of one step; whatever it throws reaches the caller of {@link RunScope#step(String, StepBody)}. */
@FunctionalInterface
public interface StepBody<T, E extends Exception> {
    T run(StepScope step) throws E;
}
