package dev.cairn.projections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.events.EventLog;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.orchestration.ApprovalDecision;
import dev.cairn.events.orchestration.CheckpointStatus;
import dev.cairn.events.orchestration.Orchestration;
import dev.cairn.events.orchestration.OrchestrationEvent;
import dev.cairn.events.orchestration.ProjectEvent;
import dev.cairn.events.orchestration.Role;
import dev.cairn.events.orchestration.SettingEvent;
import dev.cairn.events.orchestration.ThreadEvent;
import dev.cairn.events.orchestration.TurnState;
import dev.cairn.internal.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectionsTest {
    @TempDir
    Path dir;

    /** Where the store under test lives: a SQLite file here, a PostgreSQL schema in the Postgres variant. */
    String location() {
        return dir.resolve("projections.db").toString();
    }

    Cairn db;
    EventLog log;
    Projections projections;

    @BeforeEach
    void open() {
        db = Cairn.open(location());
        log = db.events();
        projections = db.projections();
    }

    @AfterEach
    void close() {
        db.close();
    }

    void record(OrchestrationEvent... events) {
        for (OrchestrationEvent event : events) {
            log.append(event.streamId(), ExpectedVersion.any(), Orchestration.data(event));
        }
    }

    void session(String thread) {
        record(new ThreadEvent.Created(thread, "p1", "Fix the build " + thread, "gpt-5", "main", "/wt/" + thread),
                new ThreadEvent.MessageSent(thread, thread + "-m1", "u1" + thread, Role.USER, "Why is CI red?", false),
                new ThreadEvent.TurnStartRequested(thread, "u1" + thread, thread + "-m1"),
                new ThreadEvent.TurnStarted(thread, "u1" + thread),
                new ThreadEvent.MessageSent(thread, thread + "-m2", "u1" + thread, Role.ASSISTANT, "", true),
                new ThreadEvent.MessageDeltaAppended(thread, thread + "-m2", "A test "),
                new ThreadEvent.MessageDeltaAppended(thread, thread + "-m2", "times out."),
                new ThreadEvent.ApprovalRequested(thread, thread + "-a1", "u1" + thread, "command", "mvn verify"));
    }

    @Test
    void aSessionShowsUpInTheProjections() {
        record(new ProjectEvent.Created("p1", "Cairn", "/src/cairn", "gpt-5"));
        session("t1");

        ThreadView thread = projections.thread("t1").orElseThrow();
        assertThat(thread.messageCount()).isEqualTo(2);
        assertThat(thread.turnCount()).isEqualTo(1);
        assertThat(thread.latestTurnId()).isEqualTo("u1t1");
        List<MessageView> messages = projections.messages("t1", 10, null).items();
        assertThat(messages).extracting(MessageView::text).containsExactly("Why is CI red?", "A test times out.");
        assertThat(messages.get(1).streaming()).isTrue();
        assertThat(projections.pendingApprovals("t1")).extracting(PendingApproval::summary)
                .containsExactly("mvn verify");
        assertThat(projections.turns("t1")).extracting(TurnView::state).containsExactly(TurnState.RUNNING);

        record(new ThreadEvent.ApprovalDecided("t1", "t1-a1", ApprovalDecision.ACCEPT_FOR_SESSION),
                new ThreadEvent.MessageCompleted("t1", "t1-m2"),
                new ThreadEvent.TurnCompleted("t1", "u1t1", "refs/cairn/cp1", CheckpointStatus.READY,
                        List.of("src/A.java"), null));
        assertThat(projections.pendingApprovals(null)).isEmpty();
        assertThat(projections.messages("t1", 10, null).items().get(1).streaming()).isFalse();
        TurnView turn = projections.turns("t1").get(0);
        assertThat(turn.state()).isEqualTo(TurnState.COMPLETED);
        assertThat(turn.changedFiles()).containsExactly("src/A.java");
        assertThat(projections.checkpoints("t1")).extracting(CheckpointView::checkpointRef)
                .containsExactly("refs/cairn/cp1");
        assertThat(projections.projects()).extracting(ProjectView::title).containsExactly("Cairn");
        assertThat(projections.status()).singleElement().satisfies(s -> {
            assertThat(s.caughtUp()).isTrue();
            assertThat(s.head()).isEqualTo(log.lastPosition());
        });
    }

    @Test
    void revertingToACheckpointUndoesTheLaterTurns() {
        session("t1");
        record(new ThreadEvent.TurnCompleted("t1", "u1t1", "cp1", CheckpointStatus.READY, List.of(), null),
                new ThreadEvent.TurnStartRequested("t1", "u2", null),
                new ThreadEvent.MessageSent("t1", "m3", "u2", Role.ASSISTANT, "second", false),
                new ThreadEvent.TurnCompleted("t1", "u2", "cp2", CheckpointStatus.READY, List.of("b"), null));
        assertThat(projections.thread("t1").orElseThrow().turnCount()).isEqualTo(2);

        record(new ThreadEvent.CheckpointReverted("t1", "u1t1", "cp1"));
        ThreadView thread = projections.thread("t1").orElseThrow();
        assertThat(thread.turnCount()).isEqualTo(1);
        assertThat(thread.messageCount()).isEqualTo(2);
        assertThat(thread.latestTurnId()).isEqualTo("u1t1");
        assertThat(projections.checkpoints("t1")).extracting(CheckpointView::turnId).containsExactly("u1t1");
    }

    @Test
    void threadsArePagedNewestFirstAndArchivedOnesOnlyWhenAsked() {
        for (int i = 0; i < 7; i++) {
            record(new ThreadEvent.Created("t" + i, "p1", "Thread " + i, null, null, null));
        }
        record(new ThreadEvent.Created("other", "p2", "Elsewhere", null, null, null),
                new ThreadEvent.Archived("t5"));
        Page<ThreadView> first = projections.threads("p1", false, 3, null);
        assertThat(first.items()).extracting(ThreadView::threadId).containsExactly("t6", "t4", "t3");
        Page<ThreadView> second = projections.threads("p1", false, 3, first.next());
        assertThat(second.items()).extracting(ThreadView::threadId).containsExactly("t2", "t1", "t0");
        assertThat(second.hasMore()).isFalse();
        assertThat(projections.threads("p1", true, 100, null).items()).hasSize(7);
        assertThat(projections.threads(null, true, 100, null).items()).hasSize(8);

        Page<MessageView> none = projections.messages("t1", 5, null);
        assertThat(none.items()).isEmpty();
        assertThat(none.hasMore()).isFalse();
    }

    @Test
    void deletingStreamsLeavesNoTraceInTheProjections() {
        record(new ProjectEvent.Created("p1", "Cairn", null, null),
                new SettingEvent.Set("theme", Json.tree("{\"dark\":true}")));
        session("t1");
        session("t2");
        log.deleteStream("thread:t1");
        log.deleteStream("project:p1");
        log.deleteStream("setting:theme");
        assertThat(projections.thread("t1")).isEmpty();
        assertThat(projections.messages("t1", 10, null).items()).isEmpty();
        assertThat(projections.turns("t1")).isEmpty();
        assertThat(projections.pendingApprovals("t1")).isEmpty();
        assertThat(projections.projects()).isEmpty();
        assertThat(projections.settings()).isEmpty();
        assertThat(projections.thread("t2")).isPresent();
    }

    @Test
    void aRebuildWhileOthersAppendEndsCaughtUpWithEveryEvent() throws Exception {
        for (int i = 0; i < 40; i++) {
            session("before" + i);
        }
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writing = writer.submit(() -> {
            for (int i = 0; i < 40; i++) {
                session("during" + i);
            }
        });
        List<dev.cairn.events.LogPosition> positions = new ArrayList<>();
        projections.rebuild((position, head) -> positions.add(position));
        writing.get();
        writer.shutdown();
        // Appends the rebuild had not reached yet were replayed by it; those after it caught up projected themselves.
        assertThat(projections.status()).allMatch(ProjectorStatus::caughtUp);
        assertThat(projections.threads(null, true, 1000, null).items()).hasSize(80);
        assertThat(projections.messages("during39", 10, null).items()).hasSize(2);
        assertThat(positions).isSorted();
    }
}
