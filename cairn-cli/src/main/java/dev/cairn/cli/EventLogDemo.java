package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.events.ActorKind;
import dev.cairn.events.EventData;
import dev.cairn.events.EventMetadata;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.LogPosition;
import dev.cairn.events.RecordedEvent;
import dev.cairn.events.StreamAppend;
import dev.cairn.events.Subscription;
import dev.cairn.events.orchestration.ActivityTone;
import dev.cairn.events.orchestration.ApprovalDecision;
import dev.cairn.events.orchestration.CheckpointStatus;
import dev.cairn.events.orchestration.Orchestration;
import dev.cairn.events.orchestration.OrchestrationEvent;
import dev.cairn.events.orchestration.ProjectEvent;
import dev.cairn.events.orchestration.Role;
import dev.cairn.events.orchestration.SettingEvent;
import dev.cairn.events.orchestration.ThreadEvent;
import dev.cairn.projections.Projections;
import dev.cairn.projections.ThreadView;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The event log's part of {@code cairn demo}: an agent session recorded through the public API, then shown. */
final class EventLogDemo {
    private static final EventMetadata CLIENT = EventMetadata.of(ActorKind.CLIENT);
    private static final EventMetadata SERVER = EventMetadata.of(ActorKind.SERVER);
    private static final EventMetadata PROVIDER = EventMetadata.of(ActorKind.PROVIDER);

    private EventLogDemo() {}

    static void run(Cairn db, PrintWriter out) {
        AtomicLong tailed = new AtomicLong();
        try (Subscription tail = db.events().subscribe(db.events().lastPosition(), e -> tailed.incrementAndGet())) {
            record(db);
            String threadId = "t-flaky-ci";
            // The tail runs on its own thread; wait until it has seen everything committed so far.
            LogPosition head = db.events().lastPosition();
            while (head.isAfter(tail.position()) && tail.isRunning()) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            out.println();
            out.println("event log: " + db.events().replayAll().count() + " events recorded; a live subscription saw "
                    + tailed.get()
                    + " of them as they committed");
            Projections projections = db.projections();
            Table threads = Table.headless().indent("  ");
            for (ThreadView t : projections.threads("cairn", true, 10, null).items()) {
                threads.row("thread", t.threadId(), t.title(), t.messageCount() + " messages", t.turnCount() + " turns",
                        t.archived() ? "(archived)" : "");
            }
            threads.print(out);
            out.println();
            ThreadCommand.print(out, projections.thread(threadId).orElseThrow(),
                    ThreadCommand.allMessages(projections, threadId), projections.turns(threadId),
                    projections.pendingApprovals(threadId));
        }
    }

    private static void record(Cairn db) {
        String t = "t-flaky-ci";
        append(db, CLIENT, new ProjectEvent.Created("cairn", "Cairn", "/home/dev/cairn", "gpt-5"));
        append(db, CLIENT, new SettingEvent.Set("approval.policy",
                JsonOutput.MAPPER.createObjectNode().put("mode", "ask-for-commands")));
        append(db, CLIENT, new ThreadEvent.Created(t, "cairn", "Why does CI fail on main?", "gpt-5", "main",
                "/home/dev/cairn/.worktrees/flaky-ci"));

        // Turn 1: the user asks; the command id makes a retried click harmless.
        EventMetadata ask = CLIENT.withCommandId("cmd-ask-1");
        for (int attempt = 0; attempt < 2; attempt++) {
            db.events().appendAll(List.of(new StreamAppend("thread:" + t, ExpectedVersion.any(), List.of(
                    Orchestration.data(new ThreadEvent.MessageSent(t, "m1", "turn-1", Role.USER,
                            "CI on main fails about one run in five. Find out why and fix it.", false), ask),
                    Orchestration.data(new ThreadEvent.TurnStartRequested(t, "turn-1", "m1"), ask)))));
        }
        append(db, SERVER, new ThreadEvent.TurnStarted(t, "turn-1"));
        append(db, PROVIDER, new ThreadEvent.MessageSent(t, "m2", "turn-1", Role.ASSISTANT, "", true));
        for (String delta : List.of("Looking at the last 20 runs, ", "the failures are all in ",
                "`SubscriptionTest`: it sleeps 100 ms ", "and expects the event to have arrived.")) {
            append(db, PROVIDER, new ThreadEvent.MessageDeltaAppended(t, "m2", delta));
        }
        append(db, PROVIDER, new ThreadEvent.MessageCompleted(t, "m2"));
        append(db, PROVIDER, new ThreadEvent.ActivityAppended(t, "act-1", "turn-1", ActivityTone.TOOL,
                "grep -rn 'Thread.sleep' src/test", null));
        append(db, PROVIDER, new ThreadEvent.ApprovalRequested(t, "ap-1", "turn-1", "file-change",
                "replace the sleep in SubscriptionTest with a latch"));
        append(db, CLIENT, new ThreadEvent.ApprovalDecided(t, "ap-1", ApprovalDecision.ACCEPT));
        append(db, PROVIDER, new ThreadEvent.MessageSent(t, "m3", "turn-1", Role.ASSISTANT,
                "Replaced the sleep with a CountDownLatch; 200 runs in a row pass.", false));
        append(db, SERVER, new ThreadEvent.TurnCompleted(t, "turn-1", "refs/cairn/checkpoints/flaky-ci/1",
                CheckpointStatus.READY, List.of("src/test/java/SubscriptionTest.java"), null));

        // Turn 2 asks for a risky command, which is still waiting for the user.
        append(db, CLIENT, new ThreadEvent.MessageSent(t, "m4", "turn-2", Role.USER,
                "Also run the whole suite against PostgreSQL.", false));
        append(db, CLIENT, new ThreadEvent.TurnStartRequested(t, "turn-2", "m4"));
        append(db, SERVER, new ThreadEvent.TurnStarted(t, "turn-2"));
        append(db, PROVIDER, new ThreadEvent.ApprovalRequested(t, "ap-2", "turn-2", "command",
                "docker run -d postgres:17"));

        append(db, CLIENT, new ThreadEvent.Created("t-readme", "cairn", "Tidy the README", "gpt-5", "docs", null));
        append(db, CLIENT, new ThreadEvent.MessageSent("t-readme", "r1", null, Role.USER, "Shorten the intro.",
                false));
        append(db, CLIENT, new ThreadEvent.Archived("t-readme"));
    }

    private static List<RecordedEvent> append(Cairn db, EventMetadata metadata, OrchestrationEvent event) {
        EventData data = Orchestration.data(event, metadata);
        return db.events().append(event.streamId(), ExpectedVersion.any(), data);
    }
}
