package dev.cairn.runs.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cairn.ConflictException;
import dev.cairn.internal.Json;
import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.Divergence;
import dev.cairn.runs.RunDivergenceException;
import dev.cairn.runs.Step;
import dev.cairn.runs.StepStatus;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.Run;
import dev.cairn.runs.RunScope;
import dev.cairn.runs.StepBody;
import dev.cairn.runs.StepScope;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A run under way; safe to share between threads that run its steps in parallel, except a durable one (a run with a
 * key), whose steps are matched to its record by the order they begin in, and so must begin one after another.
 */
final class SqlRunScope implements RunScope {
    private final SqlRunLedger ledger;
    private final String runId;
    /** This scope's fencing token: its writes pass only while no other scope has resumed the run. */
    private final String token;
    /** A durable run's steps as recorded when the scope took it, by position; null for a run that only appends. */
    private final List<Step> recorded;
    private final String goalId;
    /** The position of the durable run's last step begun through this scope. */
    private final AtomicInteger position = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    SqlRunScope(SqlRunLedger ledger, String runId, String token, List<Step> recorded, String goalId) {
        this.ledger = ledger;
        this.runId = runId;
        this.token = token;
        this.recorded = recorded;
        this.goalId = goalId;
    }

    @Override
    public String id() {
        return runId;
    }

    @Override
    public StepScope step(String name) {
        Step before = next(name);
        if (before != null && finished(before)) {
            throw new ConflictException("step " + before.position() + " (" + name + ") of run " + runId + " finished "
                    + "before the run was resumed, and a step begun by name cannot be skipped; run it as "
                    + "step(name, body) so that its recorded outcome is returned instead");
        }
        return begin(name, before);
    }

    @Override
    public <T, E extends Exception> T step(String name, StepBody<T, E> body) throws E {
        return runStep(name, null, body);
    }

    @Override
    public <T, E extends Exception> T step(String name, Class<T> type, StepBody<T, E> body) throws E {
        return runStep(name, (Type) Objects.requireNonNull(type, "type"), body);
    }

    @Override
    public <T, E extends Exception> T step(String name, TypeReference<T> type, StepBody<T, E> body) throws E {
        return runStep(name, Objects.requireNonNull(type, "type").getType(), body);
    }

    /**
     * The step at the durable run's next position as recorded, or null where the record ends (and for a run that only
     * appends); a step recorded there under another name is a divergence.
     */
    private Step next(String name) {
        if (recorded == null) {
            return null;
        }
        int at = position.incrementAndGet();
        if (at > recorded.size()) {
            return null;
        }
        Step before = recorded.get(at - 1);
        if (!before.name().equals(name)) {
            position.decrementAndGet(); // nothing was begun there
            throw new RunDivergenceException(new Divergence(runId, at, Optional.empty(), Optional.of("step '"
                    + before.name() + "'"), Optional.of("step '" + name + "'")));
        }
        return before;
    }

    private static boolean finished(Step step) {
        return step.status() == StepStatus.SUCCESS || step.status() == StepStatus.SKIPPED;
    }

    /** Begins the step afresh, or again at its recorded position when it did not finish there. */
    private SqlStepScope begin(String name, Step before) {
        SqlRunLedger.StartedStep started = before != null ? ledger.restartStep(runId, token, before)
                : ledger.startStep(runId, token, name);
        if (recorded != null && before == null && started.position() != position.get()) {
            throw new ConflictException("step " + name + " of durable run " + runId + " was recorded at position "
                    + started.position() + " where its code is at " + position.get() + ": begin a durable run's "
                    + "steps one after another, never in parallel");
        }
        return new SqlStepScope(ledger, runId, token, name, started, goalId);
    }

    /** Runs a step, recording its result when it has a type; a step the durable run finished before is answered. */
    private <T, E extends Exception> T runStep(String name, Type type, StepBody<T, E> body) throws E {
        Step before = next(name);
        if (before != null && finished(before)) {
            return type == null ? null : Json.convert(before.result().orElse(NullNode.getInstance()), type);
        }
        SqlStepScope step = begin(name, before);
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
            if (type == null) {
                step.success();
            } else {
                step.succeed(result);
            }
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
