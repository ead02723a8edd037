package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.maintenance.MigrationInfo;
import dev.cairn.maintenance.StoreStatus;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code cairn status}. */
@Command(name = "status", description = "Show schema and app versions, migrations, file sizes and row counts.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Override
    public Integer call() {
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        StoreStatus status;
        try (Cairn db = root.store().readOnly(true).open()) {
            status = db.status();
        }
        if (root.json) {
            Map<String, Object> result = JsonOutput.object();
            result.put("database", status.location());
            result.put("initialized", true);
            result.put("dialect", status.dialect());
            result.put("schemaVersion", status.schemaVersion());
            result.put("codeSchemaVersion", status.codeSchemaVersion());
            result.put("appVersion", status.appVersion());
            result.put("migrations", status.migrations().stream().map(StatusCommand::migration).toList());
            result.put("fileBytes", status.fileBytes());
            result.put("walBytes", status.walBytes());
            result.put("rowCounts", status.rowCounts());
            root.printJson(result);
            return ExitCodes.OK;
        }
        var out = root.out();
        out.println("database        " + status.location());
        out.println("schema version  " + status.schemaVersion() + " (this Cairn ships " + status.codeSchemaVersion()
                + ")");
        out.println("app version     " + status.appVersion() + " (this Cairn is " + Cairn.version() + ")");
        out.println("file size       " + Sizes.human(status.fileBytes()) + ", WAL " + Sizes.human(status.walBytes()));
        out.println("migrations");
        for (MigrationInfo m : status.migrations()) {
            out.println("  " + m.fileName() + "  " + m.appliedAt().map(at -> "applied " + at).orElse("PENDING"));
        }
        out.println("rows");
        Table rows = Table.headless().indent("  ");
        status.rowCounts().forEach(rows::row);
        rows.print(out);
        if (!status.pending().isEmpty()) {
            out.println(status.pending().size() + " pending migration(s): run 'cairn migrate'");
        }
        return ExitCodes.OK;
    }

    private static Map<String, Object> migration(MigrationInfo m) {
        Map<String, Object> map = JsonOutput.object();
        map.put("version", m.version());
        map.put("name", m.name());
        map.put("checksum", m.checksum());
        map.put("appliedAt", m.appliedAt().orElse(null));
        return map;
    }
}
