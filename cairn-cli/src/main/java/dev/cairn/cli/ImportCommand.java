package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.imports.omk.OmkGoalReport;
import dev.cairn.imports.omk.OmkImportOptions;
import dev.cairn.imports.omk.OmkImportProblem;
import dev.cairn.imports.omk.OmkImportReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cairn import omk [DIR]}: another runtime's state, brought into Cairn. */
@Command(name = "import", description = "Bring another agent runtime's state into Cairn.",
        subcommands = ImportCommand.Omk.class)
final class ImportCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(root.out());
        return ExitCodes.USAGE;
    }

    /** {@code cairn import omk}. */
    @Command(name = "omk", description = {
        "Import omk's goals, with the controllers and leases of its omk.db, one transaction per goal.",
        "Every goals/<goal_id>/ of omk's state directory (goal.json, task-graph.json, events.jsonl, proof.json, "
            + "budget checkpoints, decisions, cost records, artifacts). A goal that cannot be read is reported with its "
            + "file and line and left out; the others are imported. Importing the same files again changes nothing; a "
            + "goal Cairn holds with other content is a conflict, left as it is.",
        "Exit codes: 0 every goal is in Cairn, 1 some were skipped (broken or missing), 4 some are in conflict."})
    static final class Omk implements Callable<Integer> {
        @ParentCommand
        ImportCommand parent;

        @Parameters(arity = "0..1", paramLabel = "DIR", description = "omk's state directory (default: ~/.omk/state "
                + "when ~/.omk exists, else $XDG_STATE_HOME/omk, else ~/.local/state/omk).")
        Path dir;

        @Option(names = "--dry-run", description = "Read and check everything, print the same report, write nothing.")
        boolean dryRun;

        @Option(names = "--goal", paramLabel = "ID", description = "Import only this goal (repeatable).")
        List<String> goals = new ArrayList<>();

        @Option(names = "--accept-truncated", description = "Import the complete lines of an events.jsonl whose last "
                + "line was cut off (a killed writer); without it such a goal is skipped.")
        boolean acceptTruncated;

        @Option(names = "--copy-artifacts", paramLabel = "DIR2", description = "Copy the goals' files to DIR2 "
                + "(under goals/<goal_id>/) and register the copies; without it they are registered where omk keeps "
                + "them, and deleting omk's directory loses them.")
        Path copyArtifacts;

        @Override
        public Integer call() {
            CairnCommand root = parent.root;
            if (!root.databaseExists()) {
                return NotInitialized.report(root);
            }
            OmkImportOptions options = OmkImportOptions.of(dir != null ? dir : OmkImportOptions.defaultStateDir())
                    .withGoals(goals).withDryRun(dryRun).withAcceptTruncated(acceptTruncated)
                    .withArtifactsCopiedTo(copyArtifacts);
            Terminal.ProgressBar bar = new Terminal.ProgressBar(System.err, dryRun ? "checking" : "importing",
                    Terminal.interactive() && !root.json);
            OmkImportReport report;
            try (Cairn db = dryRun ? OpenStore.forReading(root) : OpenStore.forWriting(root)) {
                report = db.importOmk(options, (done, total, events) -> bar.update(done, total));
            } finally {
                bar.finish();
            }
            if (root.json) {
                root.printJson(json(root, report));
            } else {
                print(root.out(), report, copyArtifacts == null);
            }
            return report.count(OmkGoalReport.Outcome.CONFLICT) > 0 ? ExitCodes.CONFLICT
                    : report.count(OmkGoalReport.Outcome.SKIPPED) > 0 ? ExitCodes.PROBLEMS : ExitCodes.OK;
        }
    }

    static Map<String, Object> json(CairnCommand root, OmkImportReport report) {
        Map<String, Object> json = JsonOutput.document(root);
        json.put("stateDir", report.stateDir());
        json.put("dryRun", report.dryRun());
        List<Map<String, Object>> goals = new ArrayList<>();
        for (OmkGoalReport g : report.goals()) {
            Map<String, Object> goal = JsonOutput.object();
            goal.put("id", g.goalId());
            goal.put("outcome", outcome(g.outcome()));
            goal.put("projectDir", g.projectDir());
            goal.put("projectDirFrom", g.projectDirFrom() == null ? null : source(g.projectDirFrom()));
            goal.put("records", g.records().isEmpty() ? Map.of() : new java.util.LinkedHashMap<>(ordered(g)));
            goal.put("eventTypes", new java.util.TreeMap<>(g.eventTypes()));
            goal.put("conversions", g.conversions());
            List<Map<String, Object>> problems = new ArrayList<>();
            for (OmkImportProblem p : g.problems()) {
                Map<String, Object> problem = JsonOutput.object();
                problem.put("kind", p.kind().name().toLowerCase(Locale.ROOT));
                problem.put("file", p.file());
                problem.put("line", p.line());
                problem.put("message", p.message());
                problems.add(problem);
            }
            goal.put("problems", problems);
            goals.add(goal);
        }
        json.put("goals", goals);
        json.put("warnings", report.warnings());
        json.put("imported", report.count(OmkGoalReport.Outcome.IMPORTED));
        json.put("unchanged", report.count(OmkGoalReport.Outcome.UNCHANGED));
        json.put("conflicts", report.count(OmkGoalReport.Outcome.CONFLICT));
        json.put("skipped", report.count(OmkGoalReport.Outcome.SKIPPED));
        json.put("events", report.eventsImported());
        json.put("millis", report.took().toMillis());
        return json;
    }

    static void print(PrintWriter out, OmkImportReport report, boolean inPlace) {
        if (report.dryRun()) {
            out.println("dry run: nothing was written");
        }
        out.println("omk state directory " + report.stateDir() + ": " + report.goals().size() + " goal"
                + (report.goals().size() == 1 ? "" : "s"));
        for (OmkGoalReport g : report.goals()) {
            String outcome = g.outcome() == OmkGoalReport.Outcome.IMPORTED && report.dryRun() ? "would import"
                    : outcome(g.outcome());
            out.println(g.goalId() + "  " + outcome + (g.records().isEmpty() ? "" : "  " + counts(g)));
            if (g.projectDir() != null && g.outcome() == OmkGoalReport.Outcome.IMPORTED) {
                out.println("  project " + g.projectDir() + " (from " + source(g.projectDirFrom()) + ")");
            }
            for (OmkImportProblem p : g.problems()) {
                out.println("  " + p + (p.kind() == OmkImportProblem.Kind.TRUNCATED
                        ? " (--accept-truncated imports the complete lines)" : ""));
            }
            if (g.outcome() == OmkGoalReport.Outcome.IMPORTED) {
                for (String conversion : g.conversions()) {
                    out.println("  converted: " + conversion);
                }
            }
        }
        for (String warning : report.warnings()) {
            out.println("warning: " + warning + (inPlace && warning.contains("deleting that directory")
                    ? " (--copy-artifacts DIR2)" : ""));
        }
        out.printf(Locale.ROOT, "%d imported%s, %d unchanged, %d in conflict, %d skipped: %d events in %.1f s%n",
                report.count(OmkGoalReport.Outcome.IMPORTED), report.dryRun() ? " (would be)" : "",
                report.count(OmkGoalReport.Outcome.UNCHANGED), report.count(OmkGoalReport.Outcome.CONFLICT),
                report.count(OmkGoalReport.Outcome.SKIPPED), report.eventsImported(),
                report.took().toMillis() / 1000.0);
    }

    private static Map<String, Long> ordered(OmkGoalReport g) {
        Map<String, Long> ordered = new java.util.LinkedHashMap<>();
        for (String kind : List.of("tasks", "events", "proofs", "gates", "budgetCheckpoints", "decisions",
                "costRecords", "artifacts", "leases", "controllers")) {
            ordered.put(kind, g.count(kind));
        }
        return ordered;
    }

    private static String counts(OmkGoalReport g) {
        return g.count("tasks") + " tasks, " + g.count("events") + " events, " + g.count("proofs") + " proof ("
                + g.count("gates") + " gates), " + g.count("budgetCheckpoints") + " budget checkpoints, "
                + g.count("decisions") + " decisions, " + g.count("costRecords") + " cost records, "
                + g.count("artifacts") + " artifacts, " + g.count("leases") + " leases, " + g.count("controllers")
                + " controller";
    }

    private static String outcome(OmkGoalReport.Outcome outcome) {
        return switch (outcome) {
            case IMPORTED -> "imported";
            case UNCHANGED -> "unchanged";
            case CONFLICT -> "conflict";
            case SKIPPED -> "skipped";
        };
    }

    private static String source(OmkGoalReport.ProjectDirSource source) {
        return switch (source) {
            case RUN_STARTED_EVENTS -> "run_started events";
            case GOAL_DIRECTORY -> "the omk goal directory";
        };
    }
}
