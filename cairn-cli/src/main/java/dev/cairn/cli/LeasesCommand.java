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
@Command(name = "leases", description = "List the active slice leases: which owner (id, host, pid) holds which "
        + "slice of which goal, the paths it reserves, and the age of its last heartbeat on the store's clock.")
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
        Instant now;
        try (Cairn db = OpenStore.forReading(root)) {
            leases = goal == null ? db.goals().leases().active() : db.goals().leases().active(goal.strip());
            now = db.sharedNow();
        }
        if (root.json) {
            LedgerViews.printJsonList(root, "leases", leases.stream().map(l -> GoalViews.json(l, now)).toList());
        } else {
            GoalViews.printLeases(root.out(), leases, now);
        }
        return ExitCodes.OK;
    }
}
