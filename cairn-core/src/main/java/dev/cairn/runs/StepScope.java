package dev.cairn.runs;

/**
 * A step while it runs. End it with {@link #success()}, {@link #skip(String)} or {@link #fail(Throwable)}; closing it
 * without any of them records it failed, because Java does not tell {@code close()} whether its block threw.
 * {@link RunScope#step(String, StepBody)} ends the step by itself and keeps the exception's message.
 */
public interface StepScope extends AutoCloseable {
    String id();

    String name();

    /** Adds a figure to the step's stats (secrets redacted when written); {@code duration_ms} is set on ending. */
    StepScope stat(String key, Object value);

    /**
     * Makes a side-effecting call (a model call, a tool call, an HTTP request) and records it: the request (redacted),
     * the response (JSON, exactly as returned) and its duration. In a resumed or replayed run a call recorded at this
     * position returns its recorded response, read back as {@code type}, and {@code body} does not run; a call of
     * another kind or with another (redacted) request there is a {@link RunDivergenceException}. A body that throws
     * records nothing.
     */
    <R, E extends Exception> R call(String kind, Object request, Class<R> type, CallBody<R, E> body) throws E;

    /**
     * {@link #call(String, Object, Class, CallBody)} with what the call cost, computed from its response; when the run
     * names a goal, the cost is added to the goal's budget as a checkpoint in the same write.
     */
    <R, E extends Exception> R call(String kind, Object request, Class<R> type, CallBody<R, E> body,
            java.util.function.Function<? super R, Cost> costOf) throws E;

    /** {@link #call(String, Object, Class, CallBody, java.util.function.Function)} for a generic response type. */
    <R, E extends Exception> R call(String kind, Object request,
            com.fasterxml.jackson.core.type.TypeReference<R> type, CallBody<R, E> body,
            java.util.function.Function<? super R, Cost> costOf) throws E;

    /** Writes an audit entry of this run with the step's name as scope. */
    AuditEntry audit(AuditLevel level, String event, String message, Object data);

    /** Ends the step as succeeded. */
    void success();

    /** Ends the step as skipped, for the reason given. */
    void skip(String reason);

    /** Ends the step as failed with the exception's message; the caller still throws it on. */
    void fail(Throwable cause);

    /** Ends the step as failed with a message. */
    void fail(String message);

    /** Whether the step has ended. */
    boolean ended();

    /** Ends the step as failed unless it was ended already: reaching here without an outcome means its block threw. */
    @Override
    void close();
}
