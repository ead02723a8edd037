package dev.cairn.runs;

/**
 * A run while it is under way: begin steps in it, and close it when the run is over (try-with-resources).
 *
 * <pre>{@code
 * try (RunScope run = db.runs().begin(args, config)) {
 *     Plan plan = run.step("plan", step -> planner.plan(goal));
 *     run.step("fetch", step -> { step.stat("pages", fetcher.fetch(plan)); return null; });
 * }
 * }</pre>
 *
 * <p>Every change is written when it happens, so a run that dies half way stays readable up to where it died.
 *
 * <p>The scope holds the run for its process ({@link dev.cairn.Owner#current()}) under a fencing token: beginning and
 * ending steps, closing and {@link #heartbeat()} record that the owner is alive. Once another scope resumed the run
 * ({@link RunLedger#resume}), each of them is a {@link dev.cairn.StaleClaimException} that changes nothing.
 */
public interface RunScope extends AutoCloseable {
    String id();

    /**
     * Begins a step (audit {@code step.started}); end it yourself, see {@link StepScope}. In a resumed durable run a
     * step that finished before cannot be begun this way (its block would run again): a
     * {@link dev.cairn.ConflictException}; use {@link #step(String, StepBody)}.
     */
    StepScope step(String name);

    /**
     * Runs {@code body} as a step: records it succeeded when it returns (audit {@code step.finished}), or failed with
     * the exception's message when it throws (audit {@code step.failed}), and in both cases its duration; the
     * exception is thrown on unchanged. A body that ends the step itself (say with {@code skip}) keeps that outcome.
     * No result is recorded: in a resumed durable run, a step that finished before returns null without running.
     */
    <T, E extends Exception> T step(String name, StepBody<T, E> body) throws E;

    /**
     * Runs {@code body} as a step whose result is recorded: the result (JSON through Jackson, exactly as returned) is
     * written in the write that marks the step finished. In a resumed durable run, a step that finished before returns
     * its recorded result, read back as {@code type}, and its body does not run.
     */
    <T, E extends Exception> T step(String name, Class<T> type, StepBody<T, E> body) throws E;

    /** {@link #step(String, Class, StepBody)} for a generic result type. */
    <T, E extends Exception> T step(String name, com.fasterxml.jackson.core.type.TypeReference<T> type,
            StepBody<T, E> body) throws E;

    /** Writes an audit entry of this run with scope {@code run}. */
    AuditEntry audit(AuditLevel level, String event, String message, Object data);

    /**
     * Records that the run's owner is alive, for a step that takes long: a run whose owner was silent longer than the
     * stale window may be resumed by another process. Refused with {@link dev.cairn.StaleClaimException} once another
     * scope resumed the run.
     */
    void heartbeat();

    /** The run as stored now. */
    Run run();

    /**
     * Finishes the run (audit {@code run.finished} with its status). Steps still running are recorded failed: the run
     * ended before they did. Closing again does nothing.
     */
    @Override
    void close();
}
