package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.conversations.ConversationSummary;
import dev.cairn.runs.PruneResult;
import dev.cairn.runs.Retention;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cairn prune}. */
@Command(name = "prune", description = "Delete audit entries older than an age, and runs (with their steps) that "
        + "finished longer ago than another. Audit entries of a deleted run stay, unlinked; unfinished runs are never "
        + "deleted; and chat conversations idle for longer than a third. Say at least one age.")
final class PruneCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Option(names = "--audit-older-than", paramLabel = "AGE", description = "Delete audit entries older than AGE "
            + "(90d, 12h, 30m).")
    String auditOlderThan;

    @Option(names = "--runs-older-than", paramLabel = "AGE", description = "Delete runs that finished more than AGE "
            + "ago (180d).")
    String runsOlderThan;

    @Option(names = "--conversations-idle-for", paramLabel = "AGE", description = "Delete chat conversations "
            + "(LangChain4j, Spring AI) whose last message is older than AGE (30d), history included.")
    String conversationsIdleFor;

    @Option(names = "--dry-run", description = "Count what would be deleted; delete nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (auditOlderThan == null && runsOlderThan == null && conversationsIdleFor == null) {
            throw new InvalidInputException("say what to prune: --audit-older-than AGE, --runs-older-than AGE and/or "
                    + "--conversations-idle-for AGE (for example 90d)");
        }
        Duration idle = conversationsIdleFor == null ? null
                : TimeArgs.duration("--conversations-idle-for", conversationsIdleFor);
        Retention retention = Retention.keepEverything();
        if (auditOlderThan != null) {
            retention = retention.auditOlderThan(TimeArgs.duration("--audit-older-than", auditOlderThan));
        }
        if (runsOlderThan != null) {
            retention = retention.runsOlderThan(TimeArgs.duration("--runs-older-than", runsOlderThan));
        }
        if (dryRun) {
            retention = retention.asDryRun();
        }
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        PruneResult result;
        List<String> conversations = List.of();
        try (Cairn db = dryRun ? OpenStore.forReading(root) : OpenStore.forWriting(root)) {
            result = db.runs().prune(retention);
            if (idle != null && dryRun) {
                Instant cutoff = Instant.now().minus(idle);
                conversations = db.conversations().list().stream().filter(c -> !c.lastActivityAt().isAfter(cutoff))
                        .map(ConversationSummary::conversationId).toList();
            } else if (idle != null) {
                conversations = db.conversations().pruneIdle(idle);
            }
        }
        if (root.json) {
            Map<String, Object> json = JsonOutput.document(root);
            json.put("dryRun", result.dryRun());
            json.put("auditEntries", result.auditEntries());
            json.put("runs", result.runs());
            json.put("steps", result.steps());
            json.put("auditCutoff", result.auditCutoff().orElse(null));
            json.put("runsCutoff", result.runsCutoff().orElse(null));
            json.put("conversations", conversations);
            root.printJson(json);
        } else {
            root.out().println((result.dryRun() ? "would delete " : "deleted ") + result.auditEntries()
                    + " audit entries" + result.auditCutoff().map(c -> " (before " + c + ")").orElse("") + " and "
                    + result.runs() + " runs with " + result.steps() + " steps"
                    + result.runsCutoff().map(c -> " (finished before " + c + ")").orElse("")
                    + (idle == null ? "" : ", and " + conversations.size() + " conversations idle for "
                    + TimeArgs.human(idle)));
        }
        return ExitCodes.OK;
    }
}
