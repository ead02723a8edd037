package dev.cairn.runs.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.internal.Json;
import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.CallBody;
import dev.cairn.runs.Cost;
import dev.cairn.runs.RecordedCall;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.StepScope;
import dev.cairn.runs.StepStatus;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A running step; its stats stay in memory until it ends, when they are written with its outcome. */
final class SqlStepScope implements StepScope {
    static final String CLOSED_WITHOUT_OUTCOME = "the step was closed without success(), skip() or fail(): its "
            + "block threw or returned early";

    private final SqlRunLedger ledger;
    private final String runId;
    private final String token;
    private final String name;
    private final SqlRunLedger.StartedStep started;
    /** The goal the run works for, or null: where the costs of its calls land. */
    private final String goalId;
    private final Map<String, Object> stats = new LinkedHashMap<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicInteger calls = new AtomicInteger();

    SqlStepScope(SqlRunLedger ledger, String runId, String token, String name, SqlRunLedger.StartedStep started,
            String goalId) {
        this.ledger = ledger;
        this.runId = runId;
        this.token = token;
        this.name = name;
        this.started = started;
        this.goalId = goalId;
    }

    @Override
    public <R, E extends Exception> R call(String kind, Object request, Class<R> type, CallBody<R, E> body)
            throws E {
        return call(kind, request, (Type) type, body, null);
    }

    @Override
    public <R, E extends Exception> R call(String kind, Object request, Class<R> type, CallBody<R, E> body,
            Function<? super R, Cost> costOf) throws E {
        return call(kind, request, (Type) type, body, costOf);
    }

    @Override
    public <R, E extends Exception> R call(String kind, Object request, TypeReference<R> type, CallBody<R, E> body,
            Function<? super R, Cost> costOf) throws E {
        return call(kind, request, type.getType(), body, costOf);
    }

    /**
     * A call answered from the record when an earlier attempt of this step made it (the record is matched on the kind
     * and the redacted request), else made and recorded.
     */
    private <R, E extends Exception> R call(String kind, Object request, Type type, CallBody<R, E> body,
            Function<? super R, Cost> costOf) throws E {
        if (kind == null || kind.isBlank()) {
            throw new dev.cairn.InvalidInputException("a call of step " + name + " needs a kind that is not blank");
        }
        JsonNode redacted = RecordedCalls.stored(LedgerJson.redactedTree(request));
        int position = calls.incrementAndGet();
        if (position <= started.calls().size()) {
            RecordedCall recorded = started.calls().get(position - 1);
            RecordedCalls.requireSame(recorded, kind, redacted);
            return Json.convert(recorded.response(), type);
        }
        Instant at = ledger.now();
        long began = System.nanoTime();
        R response = body.call();
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        Cost cost = costOf == null ? null : costOf.apply(response);
        ledger.recordCall(token, new RecordedCall(runId, started.position(), position, kind, redacted,
                RecordedCalls.response(response), at, took, Optional.ofNullable(cost)), goalId, name);
        return response;
    }

    /** Ends the step as succeeded with the result its body returned, written with the outcome. */
    void succeed(Object result) {
        end(StepStatus.SUCCESS, null, null, RecordedCalls.response(result));
    }

    @Override
    public String id() {
        return started.id();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized StepScope stat(String key, Object value) {
        if ("duration_ms".equals(key)) {
            throw new dev.cairn.InvalidInputException("duration_ms is measured by the step itself; name the stat "
                    + "differently");
        }
        stats.put(key, value);
        return this;
    }

    @Override
    public AuditEntry audit(AuditLevel level, String event, String message, Object data) {
        return ledger.audit(runId, level, name, event, message, data);
    }

    @Override
    public void success() {
        end(StepStatus.SUCCESS, null, null, null);
    }

    @Override
    public void skip(String reason) {
        end(StepStatus.SKIPPED, reason == null || reason.isBlank() ? "skipped" : reason, null, null);
    }

    @Override
    public void fail(Throwable cause) {
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
        end(StepStatus.FAILED, message, cause.getClass().getName(), null);
    }

    @Override
    public void fail(String message) {
        end(StepStatus.FAILED, message == null || message.isBlank() ? "failed" : message, null, null);
    }

    @Override
    public boolean ended() {
        return ended.get();
    }

    @Override
    public void close() {
        if (!ended.get()) {
            end(StepStatus.FAILED, CLOSED_WITHOUT_OUTCOME, null, null);
        }
    }

    private void end(StepStatus status, String message, String exceptionType, JsonNode result) {
        if (!ended.compareAndSet(false, true)) {
            throw new dev.cairn.ConflictException("step " + name + " of run " + runId + " has ended already");
        }
        Map<String, Object> snapshot;
        synchronized (this) {
            snapshot = new LinkedHashMap<>(stats);
        }
        try {
            ledger.endStep(runId, token, started.id(), name, started.startedAt(), status, snapshot, message,
                    exceptionType, result);
        } catch (RuntimeException e) {
            ended.set(false); // not recorded: let close() or a retry record it
            throw e;
        }
    }

    @Override
    public String toString() {
        return "step " + name + " of run " + runId;
    }
}
