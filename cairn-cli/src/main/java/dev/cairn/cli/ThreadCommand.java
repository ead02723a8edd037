package dev.cairn.cli;

import dev.cairn.NotFoundException;
import dev.cairn.conversations.Conversations;
import dev.cairn.conversations.HistoryEntry;
import dev.cairn.projections.CheckpointView;
import dev.cairn.projections.MessageView;
import dev.cairn.projections.Page;
import dev.cairn.projections.PendingApproval;
import dev.cairn.projections.Projections;
import dev.cairn.projections.ThreadView;
import dev.cairn.projections.TurnView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cairn thread ID}: the transcript of one thread. */
@Command(name = "thread", description = "Show one thread as a transcript: its turns, messages and pending approvals; "
        + "or one chat conversation (by its id or its chat: stream id): every message, tool calls included, with those "
        + "that left the window marked.")
final class ThreadCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Parameters(paramLabel = "ID", description = "The thread id, conversation id or chat: stream id.")
    String threadId;

    /** Everything the transcript shows, read from one snapshot. */
    private record View(ThreadView thread, List<MessageView> messages, List<TurnView> turns,
            List<CheckpointView> checkpoints, List<PendingApproval> approvals) {}

    @Override
    public Integer call() {
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        Object found = OpenStore.read(root, tx -> {
            Projections projections = tx.projections();
            Optional<ThreadView> thread = projections.thread(threadId);
            if (thread.isPresent()) {
                return new View(thread.get(), allMessages(projections, threadId), projections.turns(threadId),
                        projections.checkpoints(threadId), projections.pendingApprovals(threadId));
            }
            Conversations conversations = tx.conversations();
            String conversationId = threadId.startsWith(Conversations.KIND + ":")
                    ? conversations.conversationIdOf(threadId).orElse(threadId) : threadId;
            List<HistoryEntry> history = conversations.history(conversationId);
            if (history.isEmpty()) {
                throw new NotFoundException("no thread or conversation " + threadId + " in " + root.database()
                        + "; list them with 'cairn threads --archived'");
            }
            return new Conversation(conversationId, conversations.streamId(conversationId), history);
        });
        if (found instanceof Conversation c) {
            printConversation(c);
            return ExitCodes.OK;
        }
        View v = (View) found;
        if (root.json) {
            Map<String, Object> result = JsonOutput.document(root);
            result.putAll(ThreadsCommand.json(v.thread()));
            result.put("turns", v.turns().stream().map(ThreadCommand::json).toList());
            result.put("messages", v.messages().stream().map(ThreadCommand::json).toList());
            result.put("checkpoints", v.checkpoints().stream().map(ThreadCommand::json).toList());
            result.put("pendingApprovals", v.approvals().stream().map(ThreadCommand::json).toList());
            root.printJson(result);
        } else {
            print(root.out(), v.thread(), v.messages(), v.turns(), v.approvals());
        }
        return ExitCodes.OK;
    }

    /** A chat conversation's whole history, read in the same snapshot. */
    private record Conversation(String conversationId, String streamId, List<HistoryEntry> history) {}

    private void printConversation(Conversation c) {
        if (root.json) {
            Map<String, Object> result = JsonOutput.document(root);
            result.put("conversationId", c.conversationId());
            result.put("streamId", c.streamId());
            result.put("messages", c.history().stream().map(ThreadCommand::json).toList());
            root.printJson(result);
            return;
        }
        PrintWriter out = root.out();
        out.println("conversation " + c.conversationId() + " (" + c.streamId() + ")");
        long visible = 0;
        for (HistoryEntry e : c.history()) {
            visible += e.evicted() ? 0 : 1;
            out.println("  " + e.message().role() + (e.evicted() ? " (left the window)" : "") + ": "
                    + e.message().transcriptText().replace("\n", "\n    "));
        }
        out.println();
        out.println(c.history().size() + " messages, " + visible + " in the window");
    }

    private static Map<String, Object> json(HistoryEntry e) {
        Map<String, Object> map = JsonOutput.object();
        map.put("position", e.position());
        map.put("role", e.message().role());
        map.put("text", e.message().transcriptText());
        map.put("content", e.message().content());
        map.put("addedAt", e.addedAt());
        map.put("evictedAt", e.evictedAt());
        return map;
    }

    static List<MessageView> allMessages(Projections projections, String threadId) {
        List<MessageView> all = new ArrayList<>();
        Long cursor = null;
        do {
            Page<MessageView> page = projections.messages(threadId, 500, cursor);
            all.addAll(page.items());
            cursor = page.next();
        } while (cursor != null);
        return all;
    }

    static void print(PrintWriter out, ThreadView thread, List<MessageView> messages, List<TurnView> turns,
            List<PendingApproval> approvals) {
        out.println("thread " + thread.threadId() + ": " + thread.title() + (thread.archived() ? " (archived)" : ""));
        out.println("  project " + thread.projectId() + ", model " + thread.model() + ", branch " + thread.branch()
                + ", " + thread.runtimeMode() + ", " + thread.interactionMode());
        Map<String, TurnView> turnsById = new LinkedHashMap<>();
        turns.forEach(t -> turnsById.put(t.turnId(), t));
        String currentTurn = null;
        for (MessageView m : messages) {
            if (m.turnId() != null && !m.turnId().equals(currentTurn) && turnsById.containsKey(m.turnId())) {
                currentTurn = m.turnId();
                TurnView t = turnsById.get(currentTurn);
                out.println();
                out.println("── turn " + t.ordinal() + " (" + t.turnId() + "): " + t.state()
                        + (t.checkpointRef() != null ? ", checkpoint " + t.checkpointRef() + " " + t.checkpointStatus()
                        : "") + (t.changedFiles().isEmpty() ? "" : ", changed " + String.join(" ", t.changedFiles())));
            }
            out.println("  " + m.role() + (m.streaming() ? " (streaming…)" : "") + ": "
                    + m.text().replace("\n", "\n    "));
        }
        for (PendingApproval a : approvals) {
            out.println("  ⏸ approval " + a.approvalId() + " pending: " + a.kind() + " — " + a.summary());
        }
        out.println();
        out.println(thread.messageCount() + " messages, " + thread.turnCount() + " turns");
    }

    private static Map<String, Object> json(TurnView t) {
        Map<String, Object> map = JsonOutput.object();
        map.put("turnId", t.turnId());
        map.put("ordinal", t.ordinal());
        map.put("state", t.state().toString());
        map.put("requestedAt", (t.requestedAt()));
        map.put("startedAt", (t.startedAt()));
        map.put("completedAt", (t.completedAt()));
        map.put("checkpointRef", t.checkpointRef());
        map.put("checkpointStatus", t.checkpointStatus() == null ? null : t.checkpointStatus().storedName());
        map.put("changedFiles", t.changedFiles());
        return map;
    }

    private static Map<String, Object> json(MessageView m) {
        Map<String, Object> map = JsonOutput.object();
        map.put("messageId", m.messageId());
        map.put("turnId", m.turnId());
        map.put("role", m.role().toString());
        map.put("text", m.text());
        map.put("streaming", m.streaming());
        map.put("createdAt", (m.createdAt()));
        return map;
    }

    private static Map<String, Object> json(CheckpointView c) {
        Map<String, Object> map = JsonOutput.object();
        map.put("turnId", c.turnId());
        map.put("checkpointRef", c.checkpointRef());
        map.put("status", c.status().toString());
        map.put("changedFiles", c.changedFiles());
        return map;
    }

    private static Map<String, Object> json(PendingApproval a) {
        Map<String, Object> map = JsonOutput.object();
        map.put("approvalId", a.approvalId());
        map.put("turnId", a.turnId());
        map.put("kind", a.kind());
        map.put("summary", a.summary());
        map.put("requestedAt", (a.requestedAt()));
        return map;
    }
}
