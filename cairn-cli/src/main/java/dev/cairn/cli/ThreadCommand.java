package dev.cairn.cli;

import dev.cairn.NotFoundException;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cairn thread ID}: the transcript of one thread. */
@Command(name = "thread", description = "Show one thread as a transcript: its turns, messages and pending approvals.")
final class ThreadCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Parameters(paramLabel = "ID", description = "The thread id.")
    String threadId;

    /** Everything the transcript shows, read from one snapshot. */
    private record View(ThreadView thread, List<MessageView> messages, List<TurnView> turns,
            List<CheckpointView> checkpoints, List<PendingApproval> approvals) {}

    @Override
    public Integer call() {
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        View v = OpenStore.read(root, tx -> {
            Projections projections = tx.projections();
            ThreadView thread = projections.thread(threadId).orElseThrow(() -> new NotFoundException("no thread "
                    + threadId + " in " + root.database() + "; list them with 'cairn threads --archived'"));
            return new View(thread, allMessages(projections, threadId), projections.turns(threadId),
                    projections.checkpoints(threadId), projections.pendingApprovals(threadId));
        });
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
