package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.ConflictException;
import dev.cairn.maintenance.BackupOptions;
import dev.cairn.maintenance.BackupResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cairn backup DEST}. */
@Command(name = "backup",
        description = "Copy the database to DEST while it stays in use: one consistent snapshot, private to you,"
                + " checked before it is moved into place.")
final class BackupCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Parameters(index = "0", paramLabel = "DEST", description = "The file to write the copy to.")
    Path destination;

    @Option(names = "--force", description = "Replace DEST if it exists.")
    boolean force;

    @Override
    public Integer call() {
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        Terminal.ProgressBar bar = new Terminal.ProgressBar(System.err, "backing up", Terminal.interactive()
                && !root.json);
        BackupResult result;
        // A backup only reads: open the source read-only, so a read-only file or directory can be backed up.
        try (Cairn db = root.store().readOnly(true).open()) {
            result = db.backupTo(destination, BackupOptions.defaults().withOverwrite(force).withProgress(bar::update));
        } catch (ConflictException e) {
            // The library names its own option; the command line's is --force.
            throw force || !Files.exists(destination) ? e
                    : new ConflictException(e.getMessage() + " (--force replaces it)", e);
        } finally {
            bar.finish();
        }
        Report.copy(root, "backed up", result);
        return ExitCodes.OK;
    }
}
