package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.projections.ProjectorStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cairn projections rebuild|status}. */
@Command(name = "projections", description = "Inspect or rebuild the read models built from the event log.",
        subcommands = {ProjectionsCommand.Rebuild.class, ProjectionsCommand.Status.class})
final class ProjectionsCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(root.out());
        return ExitCodes.OK;
    }

    /** {@code cairn projections rebuild}. */
    @Command(name = "rebuild", description = "Empty the projection tables and replay the whole log into them.")
    static final class Rebuild implements Callable<Integer> {
        @ParentCommand
        ProjectionsCommand parent;

        @Override
        public Integer call() {
            CairnCommand root = parent.root;
            if (!root.databaseExists()) {
                return NotInitialized.report(root);
            }
            Terminal.ProgressBar bar = new Terminal.ProgressBar(System.err, "rebuilding", Terminal.interactive()
                    && !root.json);
            long replayed;
            long started = System.nanoTime();
            try (Cairn db = OpenStore.forWriting(root)) {
                // The bar counts sequences: exact on SQLite, close enough where appends commit in parallel.
                replayed = db.projections().rebuild((position, head) -> bar.update(position.sequence(),
                        Math.max(position.sequence(), head.sequence())));
                bar.finish();
                List<ProjectorStatus> status = db.projections().status();
                long millis = (System.nanoTime() - started) / 1_000_000;
                if (root.json) {
                    Map<String, Object> result = JsonOutput.document(root);
                    result.put("replayed", replayed);
                    result.put("millis", millis);
                    result.put("projectors", status.stream().map(ProjectionsCommand::json).toList());
                    root.printJson(result);
                } else {
                    root.out().println("rebuilt the projections from " + replayed + " events in " + millis + " ms");
                }
            }
            return ExitCodes.OK;
        }
    }

    /** {@code cairn projections status}. */
    @Command(name = "status", description = "Show each projector's position against the head of the log.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        ProjectionsCommand parent;

        @Override
        public Integer call() {
            CairnCommand root = parent.root;
            if (!root.databaseExists()) {
                return NotInitialized.report(root);
            }
            List<ProjectorStatus> status;
            try (Cairn db = OpenStore.forReading(root)) {
                status = db.projections().status();
            }
            if (root.json) {
                Map<String, Object> result = JsonOutput.document(root);
                result.put("projectors", status.stream().map(ProjectionsCommand::json).toList());
                root.printJson(result);
            } else {
                Table table = Table.of("PROJECTOR", "AT", "HEAD", "STATE");
                for (ProjectorStatus s : status) {
                    table.row(s.projector(), s.lastApplied().toString(), s.head().toString(), s.caughtUp()
                            ? "caught up" : "behind: run 'cairn projections rebuild'");
                }
                table.print(root.out());
            }
            return status.stream().allMatch(ProjectorStatus::caughtUp) ? ExitCodes.OK : ExitCodes.PROBLEMS;
        }
    }

    private static Map<String, Object> json(ProjectorStatus s) {
        Map<String, Object> map = JsonOutput.object();
        map.put("projector", s.projector());
        map.put("lastAppliedPosition", s.lastApplied().toString());
        map.put("headPosition", s.head().toString());
        map.put("caughtUp", s.caughtUp());
        map.put("updatedAt", s.updatedAt());
        return map;
    }
}
