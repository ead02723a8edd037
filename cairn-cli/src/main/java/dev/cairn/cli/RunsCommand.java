package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.runs.Run;
import dev.cairn.runs.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cairn runs}. */
@Command(name = "runs", description = {"List the recorded runs, newest first, with status, steps and duration.",
    "An unfinished run shows its owner (the process holding it) and the age of its last heartbeat: a run whose",
    "owner stopped stays 'running', with a heartbeat that only grows older: it shows as 'resumable', and",
    "beginOrResume (or resume) takes it over."})
final class RunsCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many runs (default 20).")
    int limit;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only runs in STATUS: running, success or "
            + "failed. A running run whose owner is gone shows as resumable.")
    String status;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new InvalidInputException("--limit must be at least 1, was " + limit);
        }
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        RunStatus wanted = status == null ? null : RunStatus.fromStored(status.strip().toLowerCase(Locale.ROOT));
        List<Run> runs;
        Set<String> resumable;
        Instant now;
        try (Cairn db = OpenStore.forReading(root)) {
            runs = wanted == null ? db.runs().recent(limit) : db.runs().recent(limit, wanted);
            resumable = runs.stream().filter(db.runs()::resumable).map(Run::id).collect(Collectors.toSet());
            now = db.sharedNow();
        }
        if (root.json) {
            LedgerViews.printJsonList(root, "runs", runs.stream().map(r -> {
                Map<String, Object> json = LedgerViews.json(r, now);
                json.put("resumable", resumable.contains(r.id()));
                return json;
            }).toList());
        } else {
            LedgerViews.printRuns(root.out(), runs, resumable, now);
        }
        return ExitCodes.OK;
    }
}
