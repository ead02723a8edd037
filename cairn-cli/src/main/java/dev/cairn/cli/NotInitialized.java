package dev.cairn.cli;

import java.util.Map;

/** The answer of every reporting command when the database file does not exist yet: not an error, not a crash. */
final class NotInitialized {
    private NotInitialized() {}

    static int report(CairnCommand root) {
        String message = "not initialized yet: no database at " + root.database() + "; run 'cairn migrate' to "
                + "create it";
        if (root.json) {
            Map<String, Object> result = JsonOutput.document(root);
            result.put("initialized", false);
            result.put("detail", message);
            root.printJson(result);
        } else {
            root.err().println("cairn: " + message);
        }
        return ExitCodes.PROBLEMS;
    }
}
