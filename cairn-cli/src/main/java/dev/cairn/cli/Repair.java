package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.Owner;
import dev.cairn.Transaction;
import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.AuditLevel;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * How every repair command runs. The change is made through the public API in one transaction with its audit entry
 * (who ran it: user and host), so every rule, transition and event of the library applies, and a refusal leaves the
 * store and the audit log as they were. {@code --dry-run} makes the same change in a transaction that is rolled back,
 * so it is refused exactly when the real one would be. On a terminal the command shows what it will do and asks
 * first; elsewhere it needs {@code --yes}, so that a script never changes a store by accident.
 */
final class Repair {
    /** The options every repair command takes. */
    static final class Options {
        @Option(names = {"-y", "--yes"}, description = "Do it without asking (needed when not on a terminal).")
        boolean yes;

        @Option(names = "--dry-run", description = "Show what it would do, and change nothing.")
        boolean dryRun;
    }

    /**
     * What a repair did, or would do: {@code subject} and {@code verb} make "goal g paused", {@code detail} says how
     * (e.g. "running -> paused"), {@code fields} go into the JSON output and the audit entry.
     */
    record Outcome(String subject, String verb, String detail, Map<String, Object> fields) {}

    private Repair() {}

    /**
     * Runs the repair {@code command} (e.g. "goal pause") on the store; {@code work} makes the change through the
     * transaction it is given and says what it did. {@code level} is the audit level: warn for an override.
     */
    static int run(CairnCommand root, Options options, String command, AuditLevel level,
            Function<Transaction, Outcome> work) {
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        try (Cairn db = OpenStore.forWriting(root)) {
            if (options.dryRun) {
                print(root, command, preview(db, work), true, null);
                return ExitCodes.OK;
            }
            if (!options.yes) {
                if (!root.prompt.available()) {
                    throw new InvalidInputException("'cairn " + command + "' changes the store and there is no "
                            + "terminal to confirm on: add --yes to do it, or --dry-run to see what it would do");
                }
                Outcome preview = preview(db, work);
                String answer = root.prompt.ask(preview.subject() + " will be " + preview.verb() + ": "
                        + preview.detail() + ". Proceed? [y/N] ");
                if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("y|yes")) {
                    root.err().println("cairn: not confirmed; nothing was changed");
                    return ExitCodes.PROBLEMS;
                }
            }
            AuditEntry[] audit = new AuditEntry[1];
            Outcome done = db.inTransaction(tx -> {
                Outcome outcome = work.apply(tx);
                audit[0] = tx.runs().audit(level, "operator", "cli." + command.replace(' ', '.'),
                        outcome.subject() + " " + outcome.verb() + ": " + outcome.detail(), auditData(command,
                                outcome));
                return outcome;
            });
            print(root, command, done, false, audit[0]);
            return ExitCodes.OK;
        }
    }

    /** The change made and rolled back: what it would do, refused exactly as the real one. */
    private static Outcome preview(Cairn db, Function<Transaction, Outcome> work) {
        Transaction tx = db.begin();
        try {
            return work.apply(tx);
        } finally {
            tx.rollback();
        }
    }

    /** Who ran a repair: the user, and the host it ran on (for the audit log and for decisions). */
    static Map<String, Object> who() {
        Map<String, Object> who = new LinkedHashMap<>();
        who.put("user", user());
        who.put("host", Owner.current().host());
        String sudo = System.getenv("SUDO_USER");
        if (sudo != null && !sudo.isBlank()) {
            who.put("sudoUser", sudo);
        }
        return who;
    }

    /** {@code user@host}: the actor of a decision an operator takes. */
    static String actor() {
        return user() + "@" + Owner.current().host();
    }

    /** A repair's {@code --reason}: the one given, or one that says who repaired it with which command. */
    static final class Reason {
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit log and the goal's "
                + "history (where the change records one).")
        String given;

        /** The reason given, or one naming {@code command} (e.g. "lease release 7") and who ran it. */
        String or(String command) {
            return given != null && !given.isBlank() ? given : "operator repair 'cairn " + command + "' by " + actor();
        }
    }

    private static String user() {
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "unknown" : user;
    }

    private static Map<String, Object> auditData(String command, Outcome outcome) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command", "cairn " + command);
        data.putAll(who());
        data.putAll(outcome.fields());
        return data;
    }

    private static void print(CairnCommand root, String command, Outcome outcome, boolean dryRun, AuditEntry audit) {
        if (root.json) {
            Map<String, Object> result = JsonOutput.document(root);
            result.put("command", command);
            result.put("dryRun", dryRun);
            result.putAll(outcome.fields());
            result.put("auditId", audit == null ? null : audit.id());
            result.put("by", who());
            root.printJson(result);
        } else if (dryRun) {
            root.out().println(outcome.subject() + " would be " + outcome.verb() + ": " + outcome.detail()
                    + " (dry run: nothing was changed)");
        } else {
            root.out().println(outcome.subject() + " " + outcome.verb() + ": " + outcome.detail());
        }
    }
}
