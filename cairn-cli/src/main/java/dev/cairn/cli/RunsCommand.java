package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.runs.Run;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cairn runs}. */
@Command(name = "runs", description = {"List the recorded runs, newest first, with status, steps and duration.",
    "An unfinished run shows its owner (the process holding it) and the age of its last heartbeat: a run whose",
    "owner stopped stays 'running', with a heartbeat that only grows older."})
final class RunsCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many runs (default 20).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new InvalidInputException("--limit must be at least 1, was " + limit);
        }
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        List<Run> runs;
        Instant now;
        try (Cairn db = OpenStore.forReading(root)) {
            runs = db.runs().recent(limit);
            now = db.sharedNow();
        }
        if (root.json) {
            LedgerViews.printJsonList(root, "runs", runs.stream().map(r -> LedgerViews.json(r, now)).toList());
        } else {
            LedgerViews.printRuns(root.out(), runs, now);
        }
        return ExitCodes.OK;
    }
}
