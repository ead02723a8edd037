package dev.cairn.runs.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cairn.CairnException;
import dev.cairn.internal.Json;
import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.CallBody;
import dev.cairn.runs.Cost;
import dev.cairn.runs.Divergence;
import dev.cairn.runs.RecordedCall;
import dev.cairn.runs.ReplayReport;
import dev.cairn.runs.Run;
import dev.cairn.runs.RunBody;
import dev.cairn.runs.RunDivergenceException;
import dev.cairn.runs.RunScope;
import dev.cairn.runs.Step;
import dev.cairn.runs.StepBody;
import dev.cairn.runs.StepScope;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A run's code run again against its record, touching nothing: no row is written and no call's body runs. Steps run
 * their bodies; each call is answered from the record at its position, and the first place the code leaves the record
 * ends the replay with a {@link Divergence}. One thread at a time: a replay follows the record's order.
 */
final class ReplayRunScope implements RunScope {
    private final SqlRunLedger.Record record;
    private int steps;
    private int calls;

    ReplayRunScope(SqlRunLedger.Record record) {
        this.record = record;
    }

    ReplayReport replay(RunBody body) {
        String runId = record.run().id();
        try {
            body.run(this);
            if (steps < record.steps().size()) {
                Step missed = record.steps().get(steps);
                throw new RunDivergenceException(new Divergence(runId, missed.position(), Optional.empty(),
                        Optional.of("step '" + missed.name() + "'"), Optional.empty()));
            }
            return new ReplayReport(runId, steps, calls, Optional.empty());
        } catch (RunDivergenceException e) {
            return new ReplayReport(runId, steps, calls, Optional.of(e.divergence()));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CairnException("the code replayed against run " + runId + " threw at step " + steps + ": " + e,
                    e);
        }
    }

    @Override
    public String id() {
        return record.run().id();
    }

    @Override
    public StepScope step(String name) {
        int position = ++steps;
        if (position > record.steps().size()) {
            throw new RunDivergenceException(new Divergence(id(), position, Optional.empty(), Optional.empty(),
                    Optional.of("step '" + name + "'")));
        }
        Step recorded = record.steps().get(position - 1);
        if (!recorded.name().equals(name)) {
            throw new RunDivergenceException(new Divergence(id(), position, Optional.empty(), Optional.of("step '"
                    + recorded.name() + "'"), Optional.of("step '" + name + "'")));
        }
        return new ReplayStep(recorded, record.calls().stream().filter(c -> c.stepPosition() == position).toList());
    }

    @Override
    public <T, E extends Exception> T step(String name, StepBody<T, E> body) throws E {
        try (StepScope step = step(name)) {
            T result = body.run(step);
            step.success();
            return result;
        }
    }

    @Override
    public <T, E extends Exception> T step(String name, Class<T> type, StepBody<T, E> body) throws E {
        return step(name, body);
    }

    @Override
    public <T, E extends Exception> T step(String name, TypeReference<T> type, StepBody<T, E> body) throws E {
        return step(name, body);
    }

    @Override
    public AuditEntry audit(AuditLevel level, String event, String message, Object data) {
        return unwritten(level, "run", event, message, data);
    }

    /** An audit entry as it would have been written; a replay writes none. */
    private AuditEntry unwritten(AuditLevel level, String scope, String event, String message, Object data) {
        return new AuditEntry(0, Instant.now(), level, Optional.of(id()), scope, event, message == null ? ""
                : message, data == null ? NullNode.getInstance() : LedgerJson.redactedTree(data));
    }

    @Override
    public void heartbeat() {
        // a replay holds nothing
    }

    @Override
    public Run run() {
        return record.run();
    }

    @Override
    public void close() {
        // a replay finishes nothing
    }

    /** A recorded step while its body runs again; its calls are answered from the record. */
    private final class ReplayStep implements StepScope {
        private final Step recorded;
        private final List<RecordedCall> recordedCalls;
        private int position;
        private boolean ended;

        ReplayStep(Step recorded, List<RecordedCall> recordedCalls) {
            this.recorded = recorded;
            this.recordedCalls = recordedCalls;
        }

        @Override
        public String id() {
            return recorded.id();
        }

        @Override
        public String name() {
            return recorded.name();
        }

        @Override
        public StepScope stat(String key, Object value) {
            return this;
        }

        @Override
        public <R, E extends Exception> R call(String kind, Object request, Class<R> type, CallBody<R, E> body) {
            return answer(kind, request, type);
        }

        @Override
        public <R, E extends Exception> R call(String kind, Object request, Class<R> type, CallBody<R, E> body,
                Function<? super R, Cost> costOf) {
            return answer(kind, request, type);
        }

        @Override
        public <R, E extends Exception> R call(String kind, Object request, TypeReference<R> type,
                CallBody<R, E> body, Function<? super R, Cost> costOf) {
            return answer(kind, request, type.getType());
        }

        private <R> R answer(String kind, Object request, Type type) {
            JsonNode redacted = RecordedCalls.stored(LedgerJson.redactedTree(request));
            position++;
            if (position > recordedCalls.size()) {
                throw new RunDivergenceException(new Divergence(ReplayRunScope.this.id(), recorded.position(),
                        Optional.of(position),
                        Optional.empty(), Optional.of(RecordedCalls.describe(kind, redacted))));
            }
            RecordedCall call = recordedCalls.get(position - 1);
            RecordedCalls.requireSame(call, kind, redacted);
            calls++;
            return Json.convert(call.response(), type);
        }

        @Override
        public AuditEntry audit(AuditLevel level, String event, String message, Object data) {
            return unwritten(level, recorded.name(), event, message, data);
        }

        @Override
        public void success() {
            end();
        }

        @Override
        public void skip(String reason) {
            end();
        }

        @Override
        public void fail(Throwable cause) {
            end();
        }

        @Override
        public void fail(String message) {
            end();
        }

        /** A step that ends having made fewer calls than recorded left the record too. */
        private void end() {
            if (ended) {
                return;
            }
            ended = true;
            if (position < recordedCalls.size()) {
                RecordedCall missed = recordedCalls.get(position);
                throw new RunDivergenceException(new Divergence(ReplayRunScope.this.id(), recorded.position(),
                        Optional.of(missed.position()), Optional.of(RecordedCalls.describe(missed.kind(),
                                missed.request())), Optional.empty()));
            }
        }

        @Override
        public boolean ended() {
            return ended;
        }

        @Override
        public void close() {
            end();
        }
    }
}
