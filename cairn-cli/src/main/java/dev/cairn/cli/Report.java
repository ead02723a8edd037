package dev.cairn.cli;

import dev.cairn.maintenance.BackupResult;
import java.util.Map;

/** Output shared by the commands that write a copy of the database. */
final class Report {
    private Report() {}

    static void copy(CairnCommand root, String verb, BackupResult result) {
        if (root.json) {
            Map<String, Object> json = JsonOutput.document(root);
            json.put("path", result.path().toString());
            json.put("bytes", result.bytes());
            json.put("millis", result.took().toMillis());
            root.printJson(json);
        } else {
            root.out().println(verb + " " + root.database() + " to " + result.path() + " ("
                    + Sizes.human(result.bytes()) + " in " + result.took().toMillis() + " ms)");
        }
    }
}
