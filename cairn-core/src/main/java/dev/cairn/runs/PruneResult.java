package dev.cairn.runs;

import java.time.Instant;
import java.util.Optional;

/**
 * What a prune deleted, or would delete in a dry run.
 *
 * @param auditCutoff audit entries written before this were pruned; empty when audit was not pruned
 * @param runsCutoff runs that finished before this were pruned; empty when runs were not pruned
 */
public record PruneResult(
        long auditEntries,
        long runs,
        long steps,
        Optional<Instant> auditCutoff,
        Optional<Instant> runsCutoff,
        boolean dryRun) {}
