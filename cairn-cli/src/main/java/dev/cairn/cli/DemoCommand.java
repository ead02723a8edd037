package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.maintenance.BackupResult;
import dev.cairn.maintenance.DoctorReport;
import dev.cairn.maintenance.MigrationInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code cairn demo}: the main job, run end to end through the public library API. */
@Command(name = "demo", description = {
    "Run a realistic agent session against a fresh demo database through the public Cairn API, and show it.",
    "Uses --db if given, else demo.db beside the default database; the demo database is recreated each run."})
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Override
    public Integer call() throws IOException {
        Path path = root.db != null
                ? root.database()
                : Cairn.defaultPath().toAbsolutePath().resolveSibling("demo.db");
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(path.resolveSibling(path.getFileName() + suffix));
        }
        PrintWriter out = root.out();
        try (Cairn db = Cairn.open(path)) {
            out.println("opened " + db.location() + " (Cairn " + Cairn.version() + ")");
            for (MigrationInfo m : db.migrations()) {
                out.println("  migration " + m.fileName() + " applied");
            }
            Path backup = path.resolveSibling(path.getFileName() + ".backup");
            Files.deleteIfExists(backup);
            BackupResult copy = db.backupTo(backup);
            out.println("backed up to " + copy.path() + " (" + Sizes.human(copy.bytes()) + ")");
            out.println("integrity check: " + (db.integrityCheck().ok() ? "ok" : db.integrityCheck().problems()));
            EventLogDemo.run(db, out);
        }
        DoctorReport report = Cairn.doctor(path);
        out.println("doctor: " + (report.ok() ? "all checks passed" : "problems found"));
        out.println();
        out.println("Look around:  ./cairn --db " + path + " status");
        out.println("              ./cairn --db " + path + " events");
        out.println("              ./cairn --db " + path + " thread t-flaky-ci");
        return ExitCodes.OK;
    }
}
