package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.projections.Page;
import dev.cairn.projections.ThreadView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cairn threads}. */
@Command(name = "threads", description = "List threads, newest first.")
final class ThreadsCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Option(names = "--project", paramLabel = "ID", description = "Only the threads of this project.")
    String project;

    @Option(names = "--archived", description = "Include archived threads.")
    boolean archived;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N threads (default 50).")
    int limit;

    @Override
    public Integer call() {
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        Page<ThreadView> page;
        try (Cairn db = root.store().readOnly(true).open()) {
            page = db.projections().threads(project, archived, limit, null);
        }
        if (root.json) {
            root.printJson(Map.of("threads", page.items().stream().map(ThreadsCommand::json).toList(),
                    "more", page.hasMore()));
            return ExitCodes.OK;
        }
        if (page.items().isEmpty()) {
            root.out().println("no threads" + (project != null ? " in project " + project : ""));
        }
        for (ThreadView t : page.items()) {
            root.out().printf("%-14s %-10s %-40s %3d messages %2d turns  %s%s%n", t.threadId(), t.projectId(),
                    EventsCommand.abbreviate(t.title(), 40), t.messageCount(), t.turnCount(),
                    t.lastMessageAt() != null ? "last " + t.lastMessageAt() : "no messages",
                    t.archived() ? "  (archived)" : "");
        }
        if (page.hasMore()) {
            root.out().println("... more; raise --limit");
        }
        return ExitCodes.OK;
    }

    static Map<String, Object> json(ThreadView t) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("threadId", t.threadId());
        map.put("projectId", t.projectId());
        map.put("title", t.title());
        map.put("model", t.model());
        map.put("branch", t.branch());
        map.put("worktreePath", t.worktreePath());
        map.put("runtimeMode", t.runtimeMode().storedName());
        map.put("interactionMode", t.interactionMode().storedName());
        map.put("archived", t.archived());
        map.put("latestTurnId", t.latestTurnId());
        map.put("messageCount", t.messageCount());
        map.put("turnCount", t.turnCount());
        map.put("lastMessageAt", EventsCommand.text(t.lastMessageAt()));
        map.put("createdAt", EventsCommand.text(t.createdAt()));
        map.put("updatedAt", EventsCommand.text(t.updatedAt()));
        return map;
    }
}
