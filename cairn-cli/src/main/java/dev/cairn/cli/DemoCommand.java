package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.maintenance.BackupResult;
import dev.cairn.maintenance.DoctorReport;
import dev.cairn.maintenance.IntegrityReport;
import dev.cairn.maintenance.MigrationInfo;
import dev.cairn.runs.RunScope;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code cairn demo}: the main job, run end to end through the public library API. */
@Command(name = "demo",
        description = "Run a realistic agent session against a fresh demo database through the public Cairn API, and"
                + " show it. Uses --db if given, else demo.db beside the default database; the demo database is"
                + " recreated each run.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Override
    public Integer call() throws IOException {
        if (root.db != null && Cairn.isServerLocation(root.db)) {
            throw new InvalidInputException("the demo recreates its database, so it runs on a SQLite file only; give "
                    + "--db a file path (or none for demo.db beside the default database)");
        }
        Path path = root.db != null
                ? Path.of(root.location())
                : Cairn.defaultPath().toAbsolutePath().resolveSibling("demo.db");
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(path.resolveSibling(path.getFileName() + suffix));
        }
        PrintWriter out = root.out();
        String runId;
        String durableId;
        try (Cairn db = Cairn.open(path)) {
            try (RunScope run = RunLedgerDemo.begin(db)) {
                runId = run.id();
                run.step("open", step -> {
                    out.println("opened " + db.location() + " (Cairn " + Cairn.version() + ")");
                    for (MigrationInfo m : db.migrations()) {
                        out.println("  migration " + m.fileName() + " applied");
                    }
                    step.stat("migrations", db.migrations().size());
                    return null;
                });
                run.step("backup", step -> {
                    Path backup = path.resolveSibling(path.getFileName() + ".backup");
                    Files.deleteIfExists(backup);
                    BackupResult copy = db.backupTo(backup);
                    out.println("backed up to " + copy.path() + " (" + Sizes.human(copy.bytes()) + ")");
                    step.stat("bytes", copy.bytes());
                    return null;
                });
                run.step("agent session", step -> {
                    EventLogDemo.run(db, out);
                    step.stat("events", db.events().replayAll().count());
                    return null;
                });
                run.step("goal", step -> GoalStoreDemo.run(db, out));
                run.step("integrity", step -> {
                    IntegrityReport integrity = db.integrityCheck();
                    out.println("integrity check: " + (integrity.ok() ? "ok" : integrity.problems()));
                    if (!integrity.ok()) {
                        step.fail(integrity.problems().size() + " problems");
                    }
                    return null;
                });
            }
            RunLedgerDemo.show(db, runId, out);
            durableId = RunLedgerDemo.durable(db, GoalStoreDemo.GOAL, out);
        }
        DoctorReport report = Cairn.doctor(path);
        out.println("doctor: " + (report.ok() ? "all checks passed" : "problems found"));
        out.println();
        out.println("Look around:  ./cairn --db " + path + " status");
        out.println("              ./cairn --db " + path + " events");
        out.println("              ./cairn --db " + path + " thread t-flaky-ci");
        out.println("              ./cairn --db " + path + " runs");
        out.println("              ./cairn --db " + path + " run " + runId);
        out.println("              ./cairn --db " + path + " run " + durableId + " --json");
        out.println("              ./cairn --db " + path + " audit --event 'step.*'");
        out.println("              ./cairn --db " + path + " goal " + GoalStoreDemo.GOAL);
        out.println("              ./cairn --db " + path + " events --stream goal:" + GoalStoreDemo.GOAL);
        out.println();
        out.println("Open it in the console:  ./cairn --db " + path + " serve");
        out.println("              then browse http://127.0.0.1:7878/goals/" + GoalStoreDemo.GOAL + " (goals, runs,"
                + " threads, live events; Ctrl-C stops the server)");
        return ExitCodes.OK;
    }
}
