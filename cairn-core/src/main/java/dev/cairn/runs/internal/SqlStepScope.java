package dev.cairn.runs.internal;

import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.StepScope;
import dev.cairn.runs.StepStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** A running step; its stats stay in memory until it ends, when they are written with its outcome. */
final class SqlStepScope implements StepScope {
    static final String CLOSED_WITHOUT_OUTCOME = "the step was closed without success(), skip() or fail(): its "
            + "block threw or returned early";

    private final SqlRunLedger ledger;
    private final String runId;
    private final String token;
    private final String name;
    private final SqlRunLedger.StartedStep started;
    private final Map<String, Object> stats = new LinkedHashMap<>();
    private final AtomicBoolean ended = new AtomicBoolean();

    SqlStepScope(SqlRunLedger ledger, String runId, String token, String name, SqlRunLedger.StartedStep started) {
        this.ledger = ledger;
        this.runId = runId;
        this.token = token;
        this.name = name;
        this.started = started;
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
        end(StepStatus.SUCCESS, null, null);
    }

    @Override
    public void skip(String reason) {
        end(StepStatus.SKIPPED, reason == null || reason.isBlank() ? "skipped" : reason, null);
    }

    @Override
    public void fail(Throwable cause) {
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
        end(StepStatus.FAILED, message, cause.getClass().getName());
    }

    @Override
    public void fail(String message) {
        end(StepStatus.FAILED, message == null || message.isBlank() ? "failed" : message, null);
    }

    @Override
    public boolean ended() {
        return ended.get();
    }

    @Override
    public void close() {
        if (!ended.get()) {
            end(StepStatus.FAILED, CLOSED_WITHOUT_OUTCOME, null);
        }
    }

    private void end(StepStatus status, String message, String exceptionType) {
        if (!ended.compareAndSet(false, true)) {
            throw new dev.cairn.ConflictException("step " + name + " of run " + runId + " has ended already");
        }
        Map<String, Object> snapshot;
        synchronized (this) {
            snapshot = new LinkedHashMap<>(stats);
        }
        try {
            ledger.endStep(runId, token, started.id(), name, started.startedAt(), status, snapshot, message,
                    exceptionType);
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
