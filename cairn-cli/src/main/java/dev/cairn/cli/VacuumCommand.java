package dev.cairn.cli;

import dev.cairn.Cairn;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cairn vacuum}. */
@Command(name = "vacuum",
        description = "Rebuild the database file to reclaim free space, or with --into write a compacted copy and"
                + " leave the database as it is.")
final class VacuumCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Option(names = "--into", paramLabel = "FILE", description = "Write a compacted copy to FILE instead.")
    Path into;

    @Option(names = "--force", description = "With --into: replace FILE if it exists.")
    boolean force;

    @Override
    public Integer call() {
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        try (Cairn db = root.store().migrate(false).open()) {
            if (into != null) {
                Report.copy(root, "wrote a compacted copy", db.vacuumInto(into, force));
                return ExitCodes.OK;
            }
            long before = db.status().fileBytes();
            db.vacuum();
            db.checkpoint();
            long after = db.status().fileBytes();
            if (root.json) {
                Map<String, Object> result = JsonOutput.document(root);
                result.put("bytesBefore", before);
                result.put("bytesAfter", after);
                root.printJson(result);
            } else {
                root.out().println("vacuumed " + db.location() + ": " + Sizes.human(before) + " -> "
                        + Sizes.human(after));
            }
        }
        return ExitCodes.OK;
    }
}
