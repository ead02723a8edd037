package dev.cairn.runs;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The run ledger: runs of an agent with their steps, and the audit log. Reached as {@code db.runs()} (each call
 * commits on its own) or {@code tx.runs()} (each call takes part in the transaction).
 *
 * <p>Nothing secret is ever written: arguments, configuration, stats, audit data and messages pass through a
 * redactor first, which replaces the values of secret-sounding keys and credential-shaped text with
 * {@code ***REDACTED***}.
 */
public interface RunLedger {
    /**
     * Records a new run (audit {@code run.created}) and returns its scope.
     *
     * @param args what the run was started with: a list of command-line arguments, a map, a record; may be null
     * @param config the run's whole configuration, hashed as {@link ConfigHash#of(Object)} does; may be null
     */
    RunScope begin(Object args, Object config);

    /** Like {@link #begin(Object, Object)}, recording the git commit the agent runs from. */
    RunScope begin(Object args, Object config, String gitSha);

    /**
     * Continues a recorded, unfinished run (in another process, say), taking it over: the new scope holds it under a
     * new fencing token, and the scope that held it before is refused from then on. Refused with a
     * {@link dev.cairn.ConflictException} naming the owner while another process holds the run and heartbeat within
     * {@code staleAfter} on the store's shared clock; this process may always resume its own runs. A durable run
     * (one with a key) resumes as {@link #beginOrResume(RunStart)} does; steps of other runs are appended.
     */
    RunScope resume(String runId, Duration staleAfter);

    /**
     * Begins a durable run under the caller's key, or resumes the run recorded under it (after a crash, in another
     * process or on another host sharing the store), taking it over as {@link #resume(String, Duration)} does. The
     * scope matches steps to the record by position and name: a step that finished before returns its recorded result
     * without running its body, the first unfinished one runs, and a step named differently from the record is a
     * {@link RunDivergenceException}. A body is therefore run at least once and its recorded outcome written exactly
     * once: only the step in flight when the owner died may run twice. Refused with a
     * {@link dev.cairn.ConflictException} while another live process holds the run, or once the run finished.
     */
    RunScope beginOrResume(RunStart start);

    /** {@link #beginOrResume(RunStart)} of {@link RunStart#of(String, Object, Object)}. */
    default RunScope beginOrResume(String key, Object args, Object config) {
        return beginOrResume(RunStart.of(key, args, config));
    }

    /**
     * Runs {@code body} against the record of a run without touching anything: steps run their bodies, every
     * {@link StepScope#call} is answered from the record (its own body never runs), and nothing is written. The report
     * names the first place where the code left the record: a step or call the record does not have, a step under
     * another name, a call with another request, or recorded steps the code did not reach.
     */
    ReplayReport replay(String runId, RunBody body);

    /** The calls a run's steps recorded, in order of step and call position; empty for an unknown run. */
    List<RecordedCall> calls(String runId);

    /**
     * Writes the run as one self-contained archive: the run, its steps with their results, its recorded calls, its
     * audit entries, and the events of its goal if it names one (format: docs/runs.md, "Archive").
     */
    void exportRun(String runId, java.io.OutputStream out);

    /**
     * Loads an archive written by {@link #exportRun}: the run, its steps, calls and audit entries (new audit ids), in
     * one transaction. Refused with a {@link dev.cairn.ConflictException} when the run or its key is already here.
     */
    Run importRun(java.io.InputStream in);

    /** {@link #resume(String, Duration)} with {@link dev.cairn.Owner#DEFAULT_STALE_AFTER}. */
    default RunScope resume(String runId) {
        return resume(runId, dev.cairn.Owner.DEFAULT_STALE_AFTER);
    }

    Optional<Run> find(String runId);

    /** The run, or {@link dev.cairn.NotFoundException}. */
    Run get(String runId);

    /** The newest runs first. */
    List<Run> recent(int limit);

    /** The newest runs in {@code status} first. */
    List<Run> recent(int limit, RunStatus status);

    /**
     * Whether the run is unfinished and no live process holds it (its owner's heartbeat is older than
     * {@link dev.cairn.Owner#DEFAULT_STALE_AFTER} on the store's shared clock, or its owner is gone from this host): a
     * resume would take it over now.
     */
    boolean resumable(Run run);

    /** The steps of a run in the order they began; empty for an unknown run. */
    List<Step> steps(String runId);

    /** Writes an audit entry that belongs to no run. */
    AuditEntry audit(AuditLevel level, String scope, String event, String message, Object data);

    /** Writes an audit entry of a run ({@code runId} null for none). */
    AuditEntry audit(String runId, AuditLevel level, String scope, String event, String message, Object data);

    List<AuditEntry> auditLog(AuditQuery query);

    /** Deletes old audit entries and old finished runs with their steps, in one transaction; see {@link Retention}. */
    PruneResult prune(Retention retention);
}
