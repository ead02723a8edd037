package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.goals.SliceLease;
import dev.cairn.runs.AuditLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cairn leases}. */
@Command(name = "leases", description = {"List the active slice leases, or expire the stale ones.",
    "Which owner (id, host, pid) holds which slice of which goal, the paths it reserves, and the age of its last "
        + "heartbeat on the store's clock."}, subcommands = LeasesCommand.ExpireStale.class)
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

    /** {@code cairn leases expire-stale}. */
    @Command(name = "expire-stale", description = {"Expire every active lease whose last heartbeat is older than "
            + "--older-than, so that its slice may be claimed again.", "Their owners' heartbeats are refused from "
            + "then on."})
    static final class ExpireStale implements Callable<Integer> {
        @ParentCommand
        LeasesCommand parent;

        @Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "30s",
                description = "How old a lease's last heartbeat must be (default 30s).")
        String olderThan;

        @Mixin
        Repair.Options options;

        @Override
        public Integer call() {
            Duration staleAfter = TimeArgs.duration("--older-than", olderThan);
            return Repair.run(parent.root, options, "leases expire-stale", AuditLevel.INFO, tx -> {
                List<SliceLease> expired = tx.goals().leases().expireStale(staleAfter);
                Instant now = tx.sharedNow();
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("olderThanMs", staleAfter.toMillis());
                fields.put("expired", expired.stream().map(l -> GoalViews.json(l, now)).toList());
                String which = expired.stream().map(l -> l.id() + " (slice " + l.sliceId() + " of goal " + l.goalId()
                        + ", " + l.owner().id() + ", last heartbeat " + GoalViews.age(l.heartbeatAt(), now) + ")")
                        .collect(Collectors.joining(", "));
                return new Repair.Outcome(expired.size() == 1 ? "1 stale lease" : expired.size() + " stale leases",
                        "expired", expired.isEmpty() ? "none has a heartbeat older than "
                                + olderThan.strip() : which, fields);
            });
        }
    }
}
