package dev.cairn.runs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ConflictException;
import dev.cairn.Ids;
import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import dev.cairn.Owner;
import dev.cairn.StaleClaimException;
import dev.cairn.internal.Liveness;
import dev.cairn.internal.Session;
import dev.cairn.internal.SqlWork;
import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.AuditQuery;
import dev.cairn.runs.PruneResult;
import dev.cairn.runs.Redactor;
import dev.cairn.runs.Retention;
import dev.cairn.runs.Run;
import dev.cairn.runs.RunLedger;
import dev.cairn.runs.RunScope;
import dev.cairn.runs.Step;
import dev.cairn.runs.StepStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The run ledger on a {@link Session}: the same code serves the store and a transaction. */
public final class SqlRunLedger implements RunLedger {
    static final String RUN_ENDED_FIRST = "the run ended before the step did";

    private final Session session;

    public SqlRunLedger(Session session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    @Override
    public RunScope begin(Object args, Object config) {
        return begin(args, config, null);
    }

    @Override
    public RunScope begin(Object args, Object config, String gitSha) {
        JsonNode redactedArgs = LedgerJson.redactedTree(args);
        JsonNode redactedConfig = LedgerJson.redactedTree(config);
        String hash = LedgerJson.configHash(redactedConfig);
        String sha = gitSha == null || gitSha.isBlank() ? null : gitSha.strip();
        if (sha != null && !sha.matches("[0-9a-fA-F]{4,64}")) {
            throw new InvalidInputException("git sha '" + Redactor.text(sha) + "' is not a hexadecimal commit id");
        }
        Instant now = now();
        String id = Ids.next().toString();
        String token = Ids.next().toString();
        session.write(c -> {
            RunTable.insert(c, id, now, LedgerJson.text(redactedArgs), LedgerJson.text(redactedConfig), hash, sha,
                    Owner.current(), token, session.sharedNow(c));
            ObjectNode data = JsonNodeFactory.instance.objectNode().put("config_hash", hash).put("git_sha", sha);
            insertAudit(c, now, AuditLevel.INFO, id, "run", "run.created", "run " + id + " created", data);
            return null;
        });
        return new SqlRunScope(this, id, token);
    }

    @Override
    public RunScope resume(String runId, Duration staleAfter) {
        if (staleAfter == null || staleAfter.isNegative()) {
            throw new InvalidInputException("resuming run " + runId + " needs a stale window of zero or more, was "
                    + staleAfter);
        }
        Owner me = Owner.current();
        String token = Ids.next().toString();
        Instant now = now();
        session.write(c -> {
            RunTable.lock(c, runId, session.dialect()); // two resumers take turns: one takes over from the other
            Run run = RunTable.find(c, runId).orElseThrow(() -> notFound(runId));
            if (run.finishedAt().isPresent()) {
                throw new ConflictException("run " + runId + " finished at " + run.finishedAt().get()
                        + " and cannot take more steps; begin a new run");
            }
            Instant at = session.sharedNow(c);
            Owner holder = run.owner().orElse(null);
            if (holder != null && !holder.id().equals(me.id()) && Liveness.live(holder,
                    run.heartbeatAt().orElse(null), at, staleAfter, session.dialect().oneHost())) {
                throw new ConflictException("run " + runId + " is held by " + holder + " (host " + holder.host()
                        + ", pid " + holder.pid() + "), last heard from "
                        + Duration.between(run.heartbeatAt().orElseThrow(), at).toMillis() + " ms ago; resume it "
                        + "once that process is gone (no heartbeat for " + staleAfter + "). Nothing was changed");
            }
            RunTable.takeOver(c, runId, me, token, at);
            ObjectNode data = JsonNodeFactory.instance.objectNode().put("owner", me.id())
                    .put("previous_owner", holder == null ? null : holder.id());
            insertAudit(c, now, AuditLevel.INFO, runId, "run", "run.resumed", "run " + runId + " resumed by "
                    + me + (holder == null ? "" : ", taken over from " + holder), data);
            return null;
        });
        return new SqlRunScope(this, runId, token);
    }

    private NotFoundException notFound(String runId) {
        return new NotFoundException("no run " + runId + " in " + session.location()
                + "; 'cairn runs' lists the recorded runs");
    }

    /**
     * The run's fence, for every write of a scope: records that the scope holding {@code token} is alive, in the
     * write itself, and refuses a scope whose run another scope resumed since. A finished or missing run passes, for
     * the caller to report as it always has.
     */
    private void fence(Connection c, String runId, String token) throws SQLException {
        if (RunTable.heartbeat(c, runId, token, session.sharedNow(c))) {
            return;
        }
        Optional<Run> run = RunTable.find(c, runId);
        if (run.isEmpty() || run.get().finishedAt().isPresent()) {
            return;
        }
        throw new StaleClaimException(StaleClaimException.Claimed.RUN, null, runId, token, "the scope of run "
                + runId + " under claim " + token + " is no longer current: the run was resumed by "
                + run.get().owner().map(Owner::toString).orElse("another scope") + ". Nothing was changed; stop "
                + "working on it (its owner now records its steps)");
    }

    /** Records that the scope holding {@code token} is alive; see {@link RunScope#heartbeat()}. */
    void heartbeat(String runId, String token) {
        session.write(c -> {
            fence(c, runId, token);
            Run run = RunTable.find(c, runId).orElseThrow(() -> notFound(runId));
            if (run.finishedAt().isPresent()) {
                throw new ConflictException("run " + runId + " finished at " + run.finishedAt().get()
                        + "; there is nothing left to keep alive");
            }
            return null;
        });
    }

    @Override
    public Optional<Run> find(String runId) {
        return session.read(c -> RunTable.find(c, runId));
    }

    @Override
    public Run get(String runId) {
        return find(runId).orElseThrow(() -> notFound(runId));
    }

    @Override
    public List<Run> recent(int limit) {
        if (limit < 1) {
            throw new InvalidInputException("the number of runs to list must be at least 1, was " + limit);
        }
        return session.read(c -> RunTable.recent(c, limit));
    }

    @Override
    public List<Step> steps(String runId) {
        return session.read(c -> StepTable.ofRun(c, runId));
    }

    @Override
    public AuditEntry audit(AuditLevel level, String scope, String event, String message, Object data) {
        return audit(null, level, scope, event, message, data);
    }

    @Override
    public AuditEntry audit(String runId, AuditLevel level, String scope, String event, String message,
            Object data) {
        Objects.requireNonNull(level, "level");
        requireName("audit scope", scope);
        requireName("audit event", event);
        JsonNode redacted = data == null ? null : LedgerJson.redactedTree(data);
        Instant now = now();
        return session.write(c -> {
            if (runId != null && RunTable.find(c, runId).isEmpty()) {
                throw new NotFoundException("cannot write audit event " + event + " for run " + runId
                        + ": there is no such run in " + session.location());
            }
            return insertAudit(c, now, level, runId, scope, event, message, redacted);
        });
    }

    @Override
    public List<AuditEntry> auditLog(AuditQuery query) {
        return session.read(c -> AuditTable.query(c, query));
    }

    @Override
    public PruneResult prune(Retention retention) {
        Instant now = now();
        Optional<Instant> auditCutoff = retention.auditOlderThan().map(now::minus);
        Optional<Instant> runsCutoff = retention.runsOlderThan().map(now::minus);
        SqlWork<PruneResult> work = c -> {
            long runs = 0;
            long steps = 0;
            long audit = 0;
            if (runsCutoff.isPresent()) {
                steps = RunTable.countPrunableSteps(c, runsCutoff.get());
                runs = retention.dryRun()
                        ? RunTable.countPrunable(c, runsCutoff.get())
                        : RunTable.deletePrunable(c, runsCutoff.get());
            }
            if (auditCutoff.isPresent()) {
                audit = retention.dryRun()
                        ? AuditTable.countBefore(c, auditCutoff.get())
                        : AuditTable.deleteBefore(c, auditCutoff.get());
            }
            PruneResult result = new PruneResult(audit, runs, steps, auditCutoff, runsCutoff, retention.dryRun());
            if (!retention.dryRun()) {
                // The log records its own truncation, so a gap in it is explained.
                insertAudit(c, now, AuditLevel.INFO, null, "ledger", "ledger.pruned", "pruned " + audit
                        + " audit entries and " + runs + " runs with " + steps + " steps",
                        LedgerJson.redactedTree(Map.of("audit_entries", audit, "runs", runs, "steps", steps,
                                "audit_cutoff", auditCutoff.map(Instant::toString).orElse(""),
                                "runs_cutoff", runsCutoff.map(Instant::toString).orElse(""))));
            }
            return result;
        };
        // A dry run only reads, so it works on a store opened read-only.
        return retention.dryRun() ? session.read(work) : session.write(work);
    }

    // The scopes' writes; each is one atomic write of the step or run row and its audit entry.

    StartedStep startStep(String runId, String token, String name) {
        requireName("step name", name);
        Instant now = now();
        String stepId = Ids.next().toString();
        int position = session.write(c -> {
            RunTable.lock(c, runId, session.dialect()); // positions are max + 1, and the run must not finish meanwhile
            Optional<Run> run = RunTable.find(c, runId);
            if (run.isEmpty()) {
                throw new NotFoundException("cannot begin step " + name + ": run " + runId + " is not in "
                        + session.location() + " (was it pruned?)");
            }
            if (run.get().finishedAt().isPresent()) {
                throw new ConflictException("cannot begin step " + name + ": run " + runId + " has finished");
            }
            fence(c, runId, token);
            int seq = StepTable.insert(c, stepId, runId, name, now);
            insertAudit(c, now, AuditLevel.DEBUG, runId, name, "step.started", "step " + name + " started",
                    JsonNodeFactory.instance.objectNode().put("step_id", stepId).put("position", seq));
            return seq;
        });
        return new StartedStep(stepId, position, now);
    }

    record StartedStep(String id, int position, Instant startedAt) {}

    /** Ends a step; false when it had ended already. */
    boolean endStep(String runId, String token, String stepId, String name, Instant startedAt, StepStatus status,
            Map<String, Object> stats, String message, String exceptionType) {
        Instant now = now();
        return session.write(c -> {
            fence(c, runId, token);
            return endStep(c, runId, stepId, name, startedAt, now, status, stats, message, exceptionType);
        });
    }

    private boolean endStep(Connection c, String runId, String stepId, String name, Instant startedAt, Instant now,
            StepStatus status, Map<String, Object> stats, String message, String exceptionType) throws SQLException {
        long millis = Duration.between(startedAt, now).toMillis();
        ObjectNode statsNode = (ObjectNode) LedgerJson.redactedTree(stats == null ? Map.of() : stats);
        statsNode.put("duration_ms", millis);
        String safeMessage = Redactor.text(message);
        if (!StepTable.end(c, stepId, status, now, LedgerJson.text(statsNode), safeMessage)) {
            return false;
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("step_id", stepId).put("status",
                status.toString()).put("duration_ms", millis);
        if (status == StepStatus.FAILED) {
            data.put("error", safeMessage);
            if (exceptionType != null) {
                data.put("exception", exceptionType);
            }
            insertAudit(c, now, AuditLevel.ERROR, runId, name, "step.failed", "step " + name + " failed after "
                    + millis + " ms: " + safeMessage, data);
        } else {
            String how = status == StepStatus.SKIPPED ? "was skipped (" + safeMessage + ")" : "succeeded";
            insertAudit(c, now, AuditLevel.INFO, runId, name, "step.finished", "step " + name + " " + how
                    + " after " + millis + " ms", data);
        }
        return true;
    }

    /** Finishes a run, failing the steps it left running; false when it had finished already. */
    boolean finishRun(String runId, String token) {
        Instant now = now();
        return session.write(c -> {
            RunTable.lock(c, runId, session.dialect()); // no step may begin between this look and the finish
            fence(c, runId, token);
            for (Step step : StepTable.running(c, runId)) {
                endStep(c, runId, step.id(), step.name(), step.startedAt(), now, StepStatus.FAILED,
                        Map.of(), RUN_ENDED_FIRST, null);
            }
            if (!RunTable.finish(c, runId, now)) {
                return false;
            }
            Run run = RunTable.find(c, runId).orElseThrow();
            long millis = run.duration().map(Duration::toMillis).orElse(0L);
            insertAudit(c, now, run.status() == dev.cairn.runs.RunStatus.FAILED ? AuditLevel.WARN : AuditLevel.INFO,
                    runId, "run", "run.finished", "run " + runId + " finished: " + run.status() + " after "
                            + millis + " ms, " + run.stepCount() + " steps",
                    JsonNodeFactory.instance.objectNode().put("status", run.status().toString())
                            .put("duration_ms", millis).put("steps", run.stepCount()));
            return true;
        });
    }

    private AuditEntry insertAudit(Connection c, Instant at, AuditLevel level, String runId, String scope,
            String event, String message, JsonNode redactedData) throws SQLException {
        String dataJson = redactedData == null || redactedData.isNull() ? null : LedgerJson.text(redactedData);
        return AuditTable.insert(c, at, level, runId, scope, event, message == null ? "" : Redactor.text(message),
                dataJson);
    }

    private Instant now() {
        return Instant.ofEpochMilli(session.clock().millis());
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("a " + what + " must not be blank");
        }
    }
}
