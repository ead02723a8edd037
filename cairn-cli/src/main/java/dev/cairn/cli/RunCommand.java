package dev.cairn.cli;

import dev.cairn.InvalidInputException;
import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.RecordedCall;
import dev.cairn.runs.AuditQuery;
import dev.cairn.runs.Run;
import dev.cairn.runs.Step;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cairn run ID}, and a run's archive ({@code cairn run export}, {@code cairn run import}). */
@Command(name = "run", description = {"Show one run: its steps as a timeline with durations, statuses and results, "
        + "the calls they recorded, and its audit entries (results, requests and responses shortened; --json shows "
        + "them whole).", "'cairn run export ID --out FILE' writes the run to one archive file; 'cairn run import "
        + "FILE' loads one."},
        subcommands = {RunExportCommand.class, RunImportCommand.class})
final class RunCommand implements Callable<Integer> {
    private static final int AUDIT_SHOWN = 1000;

    @ParentCommand
    CairnCommand root;

    // Optional here only so that 'cairn run export ...' parses as the subcommand; call() requires it.
    @Parameters(paramLabel = "ID", arity = "0..1", description = "The run's id, as 'cairn runs' lists it.")
    String id;

    /** Everything the run view shows, read from one snapshot. */
    private record View(Run run, List<Step> steps, List<RecordedCall> calls, List<AuditEntry> audit, Instant now) {}

    @Override
    public Integer call() {
        if (id == null || id.isBlank()) {
            throw new InvalidInputException("name the run to show: cairn run ID ('cairn runs' lists them)");
        }
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        View view = OpenStore.read(root, tx -> {
            Run run = tx.runs().get(id.strip());
            return new View(run, tx.runs().steps(run.id()), tx.runs().calls(run.id()),
                    tx.runs().auditLog(AuditQuery.all().forRun(run.id()).limit(AUDIT_SHOWN)), tx.sharedNow());
        });
        Run run = view.run();
        List<Step> steps = view.steps();
        List<AuditEntry> audit = view.audit();
        if (root.json) {
            Map<String, Object> result = JsonOutput.document(root);
            result.putAll(LedgerViews.json(run, view.now()));
            result.put("config", run.config());
            result.put("steps", steps.stream().map(s -> LedgerViews.json(s, run.createdAt())).toList());
            result.put("calls", view.calls().stream().map(LedgerViews::json).toList());
            result.put("audit", audit.stream().map(LedgerViews::json).toList());
            root.printJson(result);
        } else {
            LedgerViews.printRun(root.out(), run, steps, view.calls(), audit, view.now());
        }
        return ExitCodes.OK;
    }
}
