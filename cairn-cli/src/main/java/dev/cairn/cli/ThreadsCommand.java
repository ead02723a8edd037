package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.conversations.ConversationSummary;
import dev.cairn.projections.Page;
import dev.cairn.projections.ThreadView;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cairn threads}. */
@Command(name = "threads", description = "List orchestration threads, newest first, and then the chat conversations "
        + "of LangChain4j and Spring AI stored in Cairn, most recently active first.")
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
        List<ConversationSummary> conversations;
        try (Cairn db = OpenStore.forReading(root)) {
            page = db.projections().threads(project, archived, limit, null);
            // Conversations belong to no project: a listing of one project has none.
            conversations = project != null ? List.of() : db.conversations().list();
        }
        boolean moreConversations = conversations.size() > limit;
        conversations = conversations.subList(0, Math.min(limit, conversations.size()));
        if (root.json) {
            Map<String, Object> result = JsonOutput.document(root);
            result.put("threads", page.items().stream().map(ThreadsCommand::json).toList());
            result.put("more", page.hasMore());
            result.put("conversations", conversations.stream().map(ThreadsCommand::json).toList());
            result.put("moreConversations", moreConversations);
            root.printJson(result);
            return ExitCodes.OK;
        }
        if (page.items().isEmpty() && conversations.isEmpty()) {
            root.out().println("no threads" + (project != null ? " in project " + project : ""));
        }
        Table table = Table.of("THREAD", "PROJECT", "TITLE", "MESSAGES", "TURNS", "LAST MESSAGE");
        for (ThreadView t : page.items()) {
            table.row(t.threadId(), t.projectId(), Table.shorten(t.title(), 40) + (t.archived() ? " (archived)" : ""),
                    t.messageCount(), t.turnCount(), Table.time(t.lastMessageAt()));
        }
        if (!table.isEmpty()) {
            table.print(root.out());
        }
        if (page.hasMore()) {
            root.out().println("... more; raise --limit");
        }
        if (!conversations.isEmpty()) {
            if (!table.isEmpty()) {
                root.out().println();
            }
            Table chats = Table.of("CONVERSATION", "STREAM", "MESSAGES", "IN WINDOW", "LAST ACTIVITY");
            for (ConversationSummary c : conversations) {
                chats.row(Table.shorten(c.conversationId(), 40), Table.shorten(c.streamId(), 40), c.messages(),
                        c.visible(), Table.time(c.lastActivityAt()));
            }
            chats.print(root.out());
            if (moreConversations) {
                root.out().println("... more conversations; raise --limit");
            }
        }
        return ExitCodes.OK;
    }

    static Map<String, Object> json(ConversationSummary c) {
        Map<String, Object> map = JsonOutput.object();
        map.put("conversationId", c.conversationId());
        map.put("streamId", c.streamId());
        map.put("messageCount", c.messages());
        map.put("visibleCount", c.visible());
        map.put("startedAt", c.startedAt());
        map.put("lastActivityAt", c.lastActivityAt());
        return map;
    }

    static Map<String, Object> json(ThreadView t) {
        Map<String, Object> map = JsonOutput.object();
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
        map.put("lastMessageAt", t.lastMessageAt());
        map.put("createdAt", t.createdAt());
        map.put("updatedAt", t.updatedAt());
        return map;
    }
}
