package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalFilter;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.GoalSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cairn goals}. */
@Command(name = "goals", description = {"List goals, newest first, with status, phase and task progress.",
    "Each goal's controller (owner id) and the age of its last heartbeat, on the store's clock.",
    "With --orphaned: the running goals no live controller holds (none, or a heartbeat older than --stale-after; "
        + "on SQLite also one whose process is gone), each with the command that hands it back."})
final class GoalsCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Option(names = "--status", paramLabel = "S", description = "Only goals in this status (running, ready, "
            + "not_ready, blocked_on_human, blocked_on_external, needs_more_budget, failed_infra, paused, cancelled).")
    String status;

    @Option(names = "--phase", paramLabel = "P", description = "Only goals in this phase (intake, planning, "
            + "decomposition, execution, verification_design, proof).")
    String phase;

    @Option(names = "--kind", paramLabel = "K", description = "Only goals of this kind.")
    String kind;

    @Option(names = "--text", paramLabel = "T", description = "Only goals whose text contains this (any case).")
    String text;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many goals (default 20).")
    int limit;

    @Option(names = "--after", paramLabel = "CURSOR", description = "The page after this cursor (from --json).")
    String after;

    @Option(names = "--orphaned", description = "List orphaned running goals instead.")
    boolean orphaned;

    @Option(names = "--stale-after", paramLabel = "DURATION", defaultValue = "30s",
            description = "With --orphaned: how old a controller heartbeat may be (default 30s).")
    String staleAfter;

    @Override
    public Integer call() {
        if (limit < 1 || limit > GoalFilter.MAX_LIMIT) {
            throw new InvalidInputException("--limit must be 1 to " + GoalFilter.MAX_LIMIT + ", was " + limit);
        }
        GoalFilter filter = new GoalFilter(status == null ? null : GoalStatus.fromStored(status),
                phase == null ? null : GoalPhase.fromStored(phase), kind, null, text, limit, after);
        Duration stale = TimeArgs.duration("--stale-after", staleAfter);
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        try (Cairn db = OpenStore.forReading(root)) {
            if (orphaned) {
                List<Goal> goals = db.goals().listOrphaned(stale);
                Instant now = db.sharedNow();
                if (root.json) {
                    LedgerViews.printJsonList(root, "orphaned", goals.stream().map(g -> {
                        Map<String, Object> goal = GoalViews.json(g, now);
                        goal.put("handBack", handBack(g));
                        return goal;
                    }).toList());
                } else {
                    GoalViews.printOrphans(root.out(), goals, now, this::handBack);
                }
                return ExitCodes.OK;
            }
            List<GoalSummary> goals = db.goals().list(filter);
            Instant now = db.sharedNow();
            if (root.json) {
                Map<String, Object> result = JsonOutput.document(root);
                result.put("goals", goals.stream().map(s -> GoalViews.json(s, now)).toList());
                result.put("next", goals.size() == limit ? goals.get(goals.size() - 1).cursor() : null);
                root.printJson(result);
            } else {
                GoalViews.printGoals(root.out(), goals, now);
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The command that hands an orphaned goal back, releasing its gone controller so that another may claim it at
     * once, ready to paste (with this invocation's --db and stale window); null when it has no controller.
     */
    String handBack(Goal goal) {
        if (goal.controller() == null) {
            return null;
        }
        return "cairn " + (root.db != null ? "--db " + Shell.quote(root.db) + " " : "") + "goal release-controller "
                + Shell.quote(goal.id())
                + (staleAfter.equals("30s") ? "" : " --stale-after " + Shell.quote(staleAfter));
    }
}
