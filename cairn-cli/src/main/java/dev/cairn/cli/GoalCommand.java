package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.ReadTransaction;
import dev.cairn.events.RecordedEvent;
import dev.cairn.goals.Artifact;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.Decision;
import dev.cairn.goals.GateResult;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalStore;
import dev.cairn.goals.Proof;
import dev.cairn.goals.SliceLease;
import dev.cairn.goals.Task;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cairn goal ID}. */
@Command(name = "goal", description = {"Show one goal, or repair it (pause, resume, cancel, release its "
        + "controller).",
    "The view: its state, its task graph drawn as a tree with statuses, budget use, proof gates, artifacts, "
        + "decisions, active leases and its last events. With --delete: delete it with everything it owns, its event "
        + "stream included. A goal named like a subcommand is shown by 'cairn goal show ID'."},
        subcommands = {GoalRepairCommands.Show.class, GoalRepairCommands.Pause.class, GoalRepairCommands.Resume.class,
            GoalRepairCommands.Cancel.class, GoalRepairCommands.ReleaseController.class})
final class GoalCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "The goal's id, as 'cairn goals' lists it.")
    String id;

    @Option(names = "--delete", description = "Delete the goal, its tasks, proof, budget checkpoints, artifacts, "
            + "decisions, leases and event stream.")
    boolean delete;

    @Option(names = "--events", paramLabel = "N", defaultValue = "10",
            description = "How many of its last events to show (default 10).")
    int events;

    /** Everything the goal view shows, read from one snapshot. */
    /** {@code now} is the store's shared clock, which heartbeat ages are measured against. */
    record View(Goal goal, List<Task> tasks, Optional<BudgetCheckpoint> budget, Optional<Proof> proof,
            List<Artifact> artifacts, List<Decision> decisions, List<SliceLease> leases,
            List<RecordedEvent> events, Instant now) {}

    @Override
    public Integer call() {
        if (id == null) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'ID' (or a subcommand: "
                    + String.join(", ", spec.subcommands().keySet()) + ")");
        }
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        String goalId = id.strip();
        if (delete) {
            try (Cairn db = OpenStore.forWriting(root)) {
                db.goals().delete(goalId);
            }
            if (root.json) {
                Map<String, Object> result = JsonOutput.document(root);
                result.put("deleted", goalId);
                root.printJson(result);
            } else {
                root.out().println("deleted goal " + goalId + " with its tasks, proof, budget checkpoints, artifacts, "
                        + "decisions, leases and event stream");
            }
            return ExitCodes.OK;
        }
        return show(goalId, events);
    }

    /** Shows the goal {@code goalId} with its last {@code events} events. */
    int show(String goalId, int events) {
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        View view = OpenStore.read(root, tx -> read(tx, goalId.strip(), events));
        if (root.json) {
            printJson(view);
        } else {
            print(root.out(), view);
        }
        return ExitCodes.OK;
    }

    /**
     * Reads everything the view shows, from one snapshot so its parts agree; {@code events} is how many of the goal's
     * last events.
     */
    static View read(ReadTransaction db, String goalId, int events) {
        GoalStore goals = db.goals();
        Goal goal = goals.get(goalId);
        int shown = Math.max(0, events);
        long version = db.events().streamVersion(goal.streamId());
        return new View(goal, goals.tasks().byGoal(goalId), goals.budgets().latest(goalId), goals.proofs().get(goalId),
                goals.artifacts().byGoal(goalId), goals.decisions().byGoal(goalId), goals.leases().active(goalId),
                db.events().readStream(goal.streamId(), Math.max(0, version - shown + 1)).limit(shown).toList(),
                db.sharedNow());
    }

    private void printJson(View v) {
        Map<String, Object> result = JsonOutput.document(root);
        result.putAll(GoalViews.json(v.goal(), v.now()));
        result.put("tasks", v.tasks().stream().map(GoalViews::json).toList());
        result.put("budgetUse", v.budget().map(GoalViews::json).orElse(null));
        result.put("proof", v.proof().map(GoalViews::json).orElse(null));
        result.put("artifacts", v.artifacts().stream().map(GoalViews::json).toList());
        result.put("decisions", v.decisions().stream().map(GoalViews::json).toList());
        result.put("leases", v.leases().stream().map(l -> GoalViews.json(l, v.now())).toList());
        result.put("events", v.events().stream().map(EventsCommand::json).toList());
        root.printJson(result);
    }

    static void print(PrintWriter out, View v) {
        Goal g = v.goal();
        out.println("goal       " + g.id() + "  (version " + g.version() + ")");
        out.println("text       " + g.normalizedText());
        out.println("status     " + g.status() + ", phase " + g.phase() + (g.completedAt() != null
                ? ", completed " + g.completedAt() : ""));
        if (g.failure() != null) {
            out.println("failure    " + g.failure());
        }
        out.println("project    " + g.projectDir() + "  (" + g.kind() + ", delivery " + g.deliveryPolicy()
                + ", merge " + g.mergePolicy() + ", max agents " + g.maxAgents() + ")");
        out.println("controller " + (g.controller() == null ? "none" : g.controller().id() + " (host "
                + g.controller().host() + ", pid " + g.controller().pid() + "), last heartbeat "
                + GoalViews.age(g.heartbeatAt(), v.now())));
        out.println(GoalViews.budgetLine(g.budget(), v.budget().orElse(null)));
        out.println();
        out.println("task graph (" + GoalViews.taskSummary(v.tasks()) + ")");
        if (v.tasks().isEmpty()) {
            out.println("  (no tasks yet)");
        }
        GoalViews.printGraph(out, v.tasks());
        out.println();
        if (v.proof().isEmpty()) {
            out.println("proof      none yet");
        } else {
            Proof p = v.proof().get();
            out.println("proof      " + p.status() + (p.readiness() != null ? " / " + p.readiness() : "") + ", "
                    + p.gatesPassed() + "/" + p.gatesTotal() + " gates passed (version " + p.version() + ")"
                    + (p.summary() != null ? ": " + p.summary() : ""));
            for (GateResult gate : p.gates()) {
                out.println("  " + (gate.passed() ? "✔" : "✘") + " " + gate.name() + "  " + (gate.command() == null
                        ? "" : "$ " + gate.command() + "  ") + (gate.summary() == null ? "" : gate.summary()));
            }
        }
        out.println("artifacts  " + (v.artifacts().isEmpty() ? "none" : String.valueOf(v.artifacts().size())));
        for (Artifact a : v.artifacts()) {
            // An imported goal's files stay where the other store kept them: shown with that directory.
            String path = a.baseDir() == null ? a.path() : a.baseDir() + "/" + a.path();
            out.println("  " + a.kind() + "  " + path + (a.sizeBytes() != null ? "  " + Sizes.human(a.sizeBytes())
                    : "") + (a.sha256() != null ? "  sha256 " + a.sha256().substring(0, 12) : ""));
        }
        out.println("decisions  " + (v.decisions().isEmpty() ? "none" : String.valueOf(v.decisions().size())));
        for (Decision d : v.decisions()) {
            out.println("  " + d.actor() + " (" + d.kind() + "): " + d.decision() + (d.rationale() != null
                    ? " — " + d.rationale() : ""));
        }
        out.println("leases     " + (v.leases().isEmpty() ? "none active" : String.valueOf(v.leases().size())));
        if (!v.leases().isEmpty()) {
            GoalViews.printLeases(out, v.leases(), v.now());
        }
        out.println();
        out.println("last events (cairn events --stream " + g.streamId() + " shows them all)");
        Table last = Table.headless().indent("  ");
        for (RecordedEvent e : v.events()) {
            last.row(e.streamVersion(), Table.time(e.recordedAt()), e.type());
        }
        last.print(out);
    }
}
