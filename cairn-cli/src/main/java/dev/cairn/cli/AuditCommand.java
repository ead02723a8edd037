package dev.cairn.cli;

import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.AuditQuery;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cairn audit}. */
@Command(name = "audit", description = "Show the audit log, oldest first: the newest entries that match.")
final class AuditCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Option(names = "--run", paramLabel = "ID", description = "Only the entries of this run.")
    String runId;

    @Option(names = "--level", paramLabel = "L", description = "Only this level and above: debug, info, warn, error.")
    String level;

    @Option(names = "--event", paramLabel = "E", description = "Only this event, or events starting so with a "
            + "trailing * (step.*).")
    String event;

    @Option(names = "--since", paramLabel = "DURATION|TIME", description = "Only entries since then: 12h, 7d, or "
            + "2025-03-01, 2025-03-01T10:00:00Z (UTC unless an offset is given).")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N entries (default "
            + "100).")
    int limit;

    @Override
    public Integer call() {
        AuditQuery query = AuditQuery.all().limit(limit);
        if (runId != null) {
            query = query.forRun(runId.strip());
        }
        if (level != null) {
            query = query.atLeast(AuditLevel.of(level));
        }
        if (event != null) {
            query = query.event(event.strip());
        }
        if (since != null) {
            query = query.since(TimeArgs.since("--since", since, Instant.now()));
        }
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        List<AuditEntry> entries;
        AuditQuery selected = query;
        entries = OpenStore.read(root, tx -> {
            if (runId != null) {
                tx.runs().get(runId.strip()); // an unknown run is an error, not an empty log
            }
            return tx.runs().auditLog(selected);
        });
        if (root.json) {
            LedgerViews.printJsonList(root, "entries", entries.stream().map(LedgerViews::json).toList());
        } else {
            LedgerViews.printAudit(root.out(), entries, true);
        }
        return ExitCodes.OK;
    }
}
