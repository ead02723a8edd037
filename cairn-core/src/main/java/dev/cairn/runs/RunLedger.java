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
     * {@code staleAfter} on the store's shared clock; this process may always resume its own runs.
     */
    RunScope resume(String runId, Duration staleAfter);

    /** {@link #resume(String, Duration)} with {@link dev.cairn.Owner#DEFAULT_STALE_AFTER}. */
    default RunScope resume(String runId) {
        return resume(runId, dev.cairn.Owner.DEFAULT_STALE_AFTER);
    }

    Optional<Run> find(String runId);

    /** The run, or {@link dev.cairn.NotFoundException}. */
    Run get(String runId);

    /** The newest runs first. */
    List<Run> recent(int limit);

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
