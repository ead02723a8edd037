package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.goals.SliceLease;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cairn leases}. */
@Command(name = "leases", description = "List the active slice leases: which worker holds which slice of which goal, "
        + "the paths it reserves, and its last heartbeat.")
final class LeasesCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Option(names = "--goal", paramLabel = "ID", description = "Only this goal's leases.")
    String goal;

    @Override
    public Integer call() {
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        List<SliceLease> leases;
        try (Cairn db = OpenStore.forReading(root)) {
            leases = goal == null ? db.goals().leases().active() : db.goals().leases().active(goal.strip());
        }
        if (root.json) {
            LedgerViews.printJsonList(root, "leases", leases.stream().map(GoalViews::json).toList());
        } else {
            GoalViews.printLeases(root.out(), leases, Instant.now());
        }
        return ExitCodes.OK;
    }
}
