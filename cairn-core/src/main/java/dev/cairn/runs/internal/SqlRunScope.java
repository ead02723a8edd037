package dev.cairn.runs.internal;

import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.Run;
import dev.cairn.runs.RunScope;
import dev.cairn.runs.StepBody;
import dev.cairn.runs.StepScope;
import java.util.concurrent.atomic.AtomicBoolean;

/** A run under way; safe to share between threads that run its steps in parallel. */
final class SqlRunScope implements RunScope {
    private final SqlRunLedger ledger;
    private final String runId;
    /** This scope's fencing token: its writes pass only while no other scope has resumed the run. */
    private final String token;
    private final AtomicBoolean closed = new AtomicBoolean();

    SqlRunScope(SqlRunLedger ledger, String runId, String token) {
        this.ledger = ledger;
        this.runId = runId;
        this.token = token;
    }

    @Override
    public String id() {
        return runId;
    }

    @Override
    public StepScope step(String name) {
        SqlRunLedger.StartedStep started = ledger.startStep(runId, token, name);
        return new SqlStepScope(ledger, runId, token, name, started);
    }

    @Override
    public <T, E extends Exception> T step(String name, StepBody<T, E> body) throws E {
        StepScope step = step(name);
        T result;
        try {
            result = body.run(step);
        } catch (Throwable e) {
            if (!step.ended()) {
                try {
                    step.fail(e);
                } catch (RuntimeException recording) {
                    e.addSuppressed(recording); // the caller's exception matters more than our bookkeeping
                }
            }
            throw e;
        }
        if (!step.ended()) {
            step.success();
        }
        return result;
    }

    @Override
    public AuditEntry audit(AuditLevel level, String event, String message, Object data) {
        return ledger.audit(runId, level, "run", event, message, data);
    }

    @Override
    public void heartbeat() {
        ledger.heartbeat(runId, token);
    }

    @Override
    public Run run() {
        return ledger.get(runId);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                ledger.finishRun(runId, token);
            } catch (RuntimeException e) {
                closed.set(false); // a busy store must not leave the run unfinishable
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return "run " + runId;
    }
}
