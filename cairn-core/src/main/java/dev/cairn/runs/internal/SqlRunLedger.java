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
import dev.cairn.events.EventLog;
import dev.cairn.events.RecordedEvent;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.BudgetStore;
import dev.cairn.goals.BudgetUse;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalStore;
import dev.cairn.goals.Money;
import dev.cairn.runs.Cost;
import dev.cairn.runs.RecordedCall;
import dev.cairn.runs.ReplayReport;
import dev.cairn.runs.RunBody;
import dev.cairn.runs.RunStart;
import dev.cairn.runs.RunStatus;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The run ledger on a {@link Session}: the same code serves the store and a transaction. */
public final class SqlRunLedger implements RunLedger {
    static final String RUN_ENDED_FIRST = "the run ended before the step did";

    private final Session session;
    /** The goals of the same session: a recorded call's cost lands in its goal's budget in the call's own write. */
    private final Supplier<GoalStore> goals;
    private final Supplier<EventLog> events;

    public SqlRunLedger(Session session, Supplier<GoalStore> goals, Supplier<EventLog> events) {
        this.session = Objects.requireNonNull(session, "session");
        this.goals = Objects.requireNonNull(goals, "goals");
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public RunScope begin(Object args, Object config) {
        return begin(args, config, null);
    }

    @Override
    public RunScope begin(Object args, Object config, String gitSha) {
        return begin(args, config, gitSha, null, null);
    }

    @Override
    public RunScope beginOrResume(RunStart start) {
        Optional<String> existing = session.read(c -> RunTable.idByKey(c, start.key()));
        if (existing.isEmpty()) {
            try {
                return begin(start.args(), start.config(), start.gitSha(), start.key(), start.goalId());
            } catch (ConflictException e) {
                // Another process began it at the same moment, and the unique key refused ours: resume theirs.
                existing = session.read(c -> RunTable.idByKey(c, start.key()));
                if (existing.isEmpty()) {
                    throw e;
                }
            }
        }
        return resume(existing.get(), start.staleAfter());
    }

    private RunScope begin(Object args, Object config, String gitSha, String key, String goalId) {
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
            if (goalId != null) {
                goals.get().get(goalId); // a cost must have a budget to land in: refuse an unknown goal now
            }
            RunTable.insert(c, id, now, LedgerJson.text(redactedArgs), LedgerJson.text(redactedConfig), hash, sha,
                    Owner.current(), token, session.sharedNow(c), key, goalId);
            ObjectNode data = JsonNodeFactory.instance.objectNode().put("config_hash", hash).put("git_sha", sha);
            if (key != null) {
                data.put("key", key).put("goal_id", goalId);
            }
            insertAudit(c, now, AuditLevel.INFO, id, "run", "run.created", "run " + id + " created"
                    + (key == null ? "" : " under key " + key), data);
            return null;
        });
        return new SqlRunScope(this, id, token, key == null ? null : List.of(), goalId);
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
        Run resumed = session.write(c -> {
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
            return run;
        });
        // A durable run replays its record: its scope matches steps to the recorded ones by position.
        List<Step> recorded = resumed.key().isEmpty() ? null : steps(runId);
        return new SqlRunScope(this, runId, token, recorded, resumed.goalId().orElse(null));
    }

    @Override
    public ReplayReport replay(String runId, RunBody body) {
        Objects.requireNonNull(body, "body");
        Record record = session.read(c -> {
            Run run = RunTable.find(c, runId).orElseThrow(() -> notFound(runId));
            return new Record(run, StepTable.ofRun(c, runId), CallTable.ofRun(c, runId));
        });
        return new ReplayRunScope(record).replay(body);
    }

    /** A run with everything recorded of it, read in one snapshot. */
    record Record(Run run, List<Step> steps, List<RecordedCall> calls) {}

    @Override
    public List<RecordedCall> calls(String runId) {
        return session.read(c -> CallTable.ofRun(c, runId));
    }

    @Override
    public void exportRun(String runId, OutputStream out) {
        RunArchive archive = session.read(c -> {
            Run run = RunTable.find(c, runId).orElseThrow(() -> notFound(runId));
            List<AuditEntry> audit = AuditTable.query(c, AuditQuery.all().forRun(runId).limit(Integer.MAX_VALUE));
            List<Map<String, Object>> goalEvents = run.goalId().map(this::goalEvents).orElse(List.of());
            return new RunArchive(RunArchive.FORMAT, RunArchive.VERSION, run, StepTable.ofRun(c, runId),
                    CallTable.ofRun(c, runId), audit, goalEvents);
        });
        archive.write(out);
    }

    private List<Map<String, Object>> goalEvents(String goalId) {
        try (Stream<RecordedEvent> stream = events.get().readStream(Goal.streamId(goalId), 0)) {
            return stream.map(RunArchive::event).toList();
        }
    }

    @Override
    public Run importRun(InputStream in) {
        RunArchive archive = RunArchive.read(in);
        Run run = archive.run();
        return session.write(c -> {
            if (RunTable.find(c, run.id()).isPresent()) {
                throw new ConflictException("run " + run.id() + " is already in " + session.location()
                        + "; nothing was imported");
            }
            if (run.key().isPresent() && RunTable.idByKey(c, run.key().get()).isPresent()) {
                throw new ConflictException("a run under key " + run.key().get() + " is already in "
                        + session.location() + " (run " + RunTable.idByKey(c, run.key().get()).get()
                        + "); nothing was imported");
            }
            RunTable.insertImported(c, run);
            for (Step step : archive.steps()) {
                StepTable.insertImported(c, step);
            }
            for (RecordedCall call : archive.calls()) {
                CallTable.insert(c, call);
            }
            for (AuditEntry entry : archive.audit()) {
                // Audit ids are the store's own sequence: an imported entry takes the next one here.
                AuditTable.insert(c, entry.at(), entry.level(), run.id(), entry.scope(), entry.event(),
                        entry.message(), entry.data().isNull() ? null : LedgerJson.text(entry.data()));
            }
            return RunTable.find(c, run.id()).orElseThrow();
        });
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
    public List<Run> recent(int limit, RunStatus status) {
        if (limit < 1) {
            throw new InvalidInputException("the number of runs to list must be at least 1, was " + limit);
        }
        return session.read(c -> RunTable.recent(c, limit, Objects.requireNonNull(status, "status")));
    }

    @Override
    public boolean resumable(Run run) {
        if (run.finishedAt().isPresent()) {
            return false;
        }
        Instant at = session.read(session::sharedNow);
        return !Liveness.live(run.owner().orElse(null), run.heartbeatAt().orElse(null), at, Owner.DEFAULT_STALE_AFTER,
                session.dialect().oneHost());
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
        return new StartedStep(stepId, position, now, List.of());
    }

    /**
     * Runs again, at its position, a step of a resumed durable run that did not finish: in flight when its owner died
     * (its calls stay recorded and answer its new attempt) or failed (it calls afresh).
     */
    StartedStep restartStep(String runId, String token, Step step) {
        Instant now = now();
        List<RecordedCall> calls = session.write(c -> {
            fence(c, runId, token);
            if (step.status() == StepStatus.FAILED) {
                CallTable.deleteOfStep(c, runId, step.position());
            }
            StepTable.restart(c, step.id(), now);
            insertAudit(c, now, AuditLevel.INFO, runId, step.name(), "step.restarted", "step " + step.name()
                    + " runs again (attempt " + (step.attempts() + 1) + "), after it " + (step.status()
                    == StepStatus.FAILED ? "failed" : "was left running"), JsonNodeFactory.instance.objectNode()
                    .put("step_id", step.id()).put("position", step.position()).put("attempt", step.attempts() + 1));
            return CallTable.ofStep(c, runId, step.position());
        });
        return new StartedStep(step.id(), step.position(), now, calls);
    }

    /** A step that runs now; {@code calls} are those an earlier attempt of it recorded, to answer its calls with. */
    record StartedStep(String id, int position, Instant startedAt, List<RecordedCall> calls) {}

    /**
     * Records a call a step made, fenced as every write of the scope; with a cost and a goal, the cost is added to the
     * goal's budget as a checkpoint in the same write.
     */
    void recordCall(String token, RecordedCall call, String goalId, String stepName) {
        Instant now = now();
        session.write(c -> {
            fence(c, call.runId(), token);
            CallTable.insert(c, call);
            if (goalId != null && call.cost().isPresent()) {
                BudgetStore budgets = goals.get().budgets();
                Optional<BudgetCheckpoint> latest = budgets.latest(goalId);
                Cost cost = call.cost().get();
                budgets.append(goalId, new BudgetUse("run " + call.runId() + " step " + stepName + " " + call.kind(),
                        latest.map(BudgetCheckpoint::elapsedSeconds).orElse(0L),
                        latest.map(BudgetCheckpoint::tokensUsed).orElse(0L) + cost.tokens(),
                        latest.map(BudgetCheckpoint::spent).orElse(Money.ZERO).plus(Money.ofCents(cost.cents()))));
            }
            insertAudit(c, now, AuditLevel.DEBUG, call.runId(), stepName, "call.recorded", "call " + call.kind()
                    + " of step " + stepName + " took " + call.duration().toMillis() + " ms",
                    JsonNodeFactory.instance.objectNode().put("step_position", call.stepPosition())
                            .put("position", call.position()).put("kind", call.kind())
                            .put("duration_ms", call.duration().toMillis()));
            return null;
        });
    }

    /** Ends a step; false when it had ended already. */
    boolean endStep(String runId, String token, String stepId, String name, Instant startedAt, StepStatus status,
            Map<String, Object> stats, String message, String exceptionType, JsonNode result) {
        Instant now = now();
        String resultJson = result == null ? null : LedgerJson.text(result); // outside the write: a bad value fails first
        return session.write(c -> {
            fence(c, runId, token);
            return endStep(c, runId, stepId, name, startedAt, now, status, stats, message, exceptionType, resultJson);
        });
    }

    private boolean endStep(Connection c, String runId, String stepId, String name, Instant startedAt, Instant now,
            StepStatus status, Map<String, Object> stats, String message, String exceptionType, String resultJson)
            throws SQLException {
        long millis = Duration.between(startedAt, now).toMillis();
        ObjectNode statsNode = (ObjectNode) LedgerJson.redactedTree(stats == null ? Map.of() : stats);
        statsNode.put("duration_ms", millis);
        String safeMessage = Redactor.text(message);
        if (!StepTable.end(c, stepId, status, now, LedgerJson.text(statsNode), safeMessage, resultJson,
                exceptionType)) {
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
                        Map.of(), RUN_ENDED_FIRST, null, null);
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

    Instant now() {
        return Instant.ofEpochMilli(session.clock().millis());
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("a " + what + " must not be blank");
        }
    }
}
