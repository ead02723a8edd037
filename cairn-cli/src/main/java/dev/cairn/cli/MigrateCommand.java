package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.maintenance.MigrationInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code cairn migrate}. */
@Command(name = "migrate", description = "Create the database if needed and apply pending migrations.")
final class MigrateCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Override
    public Integer call() {
        try (Cairn db = root.store().migrate(false).open()) {
            List<MigrationInfo> applied = db.migrate();
            int version = db.status().schemaVersion();
            if (root.json) {
                Map<String, Object> result = JsonOutput.document(root);
                result.put("applied", applied.stream().map(m -> Map.of("version", m.version(), "name", m.name()))
                        .toList());
                result.put("schemaVersion", version);
                root.printJson(result);
            } else {
                for (MigrationInfo m : applied) {
                    root.out().println("applied " + m.fileName());
                }
                root.out().println(applied.isEmpty()
                        ? db.location() + " is up to date at schema version " + version
                        : db.location() + " is now at schema version " + version);
            }
        }
        return ExitCodes.OK;
    }
}
