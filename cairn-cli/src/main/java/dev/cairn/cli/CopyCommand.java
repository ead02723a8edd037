package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.maintenance.CopyResult;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cairn copy --from SRC --to DST}. */
@Command(name = "copy", description = {
    "Copy a whole store to another place, between SQLite files and PostgreSQL in either direction.",
    "Every row with its sequences, versions and ids, in one snapshot of SRC and one transaction on DST (all or "
        + "nothing). SRC must be at this Cairn's schema version; DST must be absent or empty, and is created and "
        + "migrated."})
final class CopyCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Option(names = "--from", required = true, paramLabel = "SRC", description = "The store to copy: a file or a "
            + "jdbc:postgresql:// URL.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "DST", description = "Where to copy it: a file or a "
            + "jdbc:postgresql:// URL.")
    String to;

    @Override
    public Integer call() {
        Terminal.ProgressBar bar = new Terminal.ProgressBar(System.err, "copying", Terminal.interactive()
                && !root.json);
        CopyResult result;
        try {
            result = Cairn.copy(absolute(from), absolute(to), (table, done, total) -> bar.update(done, total));
        } finally {
            bar.finish();
        }
        String source = Cairn.describe(result.source());
        String destination = Cairn.describe(result.destination());
        if (root.json) {
            Map<String, Object> json = JsonOutput.object();
            json.put("from", source);
            json.put("to", destination);
            json.put("schemaVersion", result.schemaVersion());
            json.put("tables", result.tables());
            json.put("rows", result.rows());
            json.put("rowsPerTable", result.rowsPerTable());
            json.put("millis", result.took().toMillis());
            root.printJson(json);
        } else {
            root.out().printf("copied %s to %s: %d tables, %d rows in %.1f s%n", source, destination,
                    result.tables(), result.rows(), result.took().toMillis() / 1000.0);
        }
        return ExitCodes.OK;
    }

    /** A file as an absolute path (relative to the working directory); a server URL as given. */
    private static String absolute(String location) {
        if (Cairn.isServerLocation(location) || location.startsWith("jdbc:")) {
            return location;
        }
        return Path.of(location).toAbsolutePath().normalize().toString();
    }
}
