package dev.cairn.projections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.ConflictException;
import dev.cairn.events.EventData;
import dev.cairn.events.EventLog;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.orchestration.ApprovalDecision;
import dev.cairn.events.orchestration.CheckpointStatus;
import dev.cairn.events.orchestration.InteractionMode;
import dev.cairn.events.orchestration.Orchestration;
import dev.cairn.events.orchestration.OrchestrationEvent;
import dev.cairn.events.orchestration.ProjectEvent;
import dev.cairn.events.orchestration.Role;
import dev.cairn.events.orchestration.RuntimeMode;
import dev.cairn.events.orchestration.SettingEvent;
import dev.cairn.events.orchestration.ThreadEvent;
import dev.cairn.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * After a long random history (ids from small pools, so events keep hitting the same rows; deletions of streams and
 * threads, reverts, events of unknown types, events that the projection refuses), rebuilding the projections from the
 * log gives exactly the tables that incremental projection built.
 */
class RebuildEqualsIncrementalProperty {
    private static final int KINDS = 27;

    @Property(tries = 40)
    void rebuildEqualsIncremental(@ForAll @Size(min = 1, max = 250) List<@IntRange(min = 0, max = 1_000_000) Integer>
            operations) throws Exception {
        String file = freshStore();
        try (Cairn db = Cairn.builder().location(file).clock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).open()) {
            EventLog log = db.events();
            long step = 0;
            for (int operation : operations) {
                step++;
                apply(log, operation, Instant.ofEpochSecond(1_700_000_000L + step * 7 % 97));
            }
            Map<String, List<List<Object>>> incremental = Tables.snapshot(file);
            List<dev.cairn.events.LogPosition> positions = new java.util.ArrayList<>();
            db.projections().rebuild((position, head) -> positions.add(position));
            assertThat(Tables.snapshot(file)).isEqualTo(incremental);
            assertThat(db.projections().status()).allMatch(ProjectorStatus::caughtUp);
            assertThat(positions).isSorted();
        } finally {
            discard(file);
        }
    }

    /** An empty store for one try: a SQLite file in a directory of its own; a schema in the PostgreSQL variant. */
    String freshStore() throws Exception {
        return Files.createTempDirectory("cairn-rebuild").resolve("history.db").toString();
    }

    void discard(String location) throws Exception {
        deleteTree(Path.of(location).getParent());
    }

    private static void apply(EventLog log, int operation, Instant at) {
        int kind = operation % KINDS;
        int a = (operation / KINDS) % 3;
        int b = (operation / (KINDS * 3)) % 5;
        String project = "p" + a;
        String thread = "t" + a;
        String message = "m" + b;
        String turn = "u" + b;
        OrchestrationEvent event = switch (kind) {
            case 0 -> new ProjectEvent.Created(project, "Project " + b, "/src/" + a, b % 2 == 0 ? null : "gpt-" + b);
            case 1 -> new ProjectEvent.MetaUpdated(project, b % 2 == 0 ? "Renamed " + b : null, null, "model-" + b);
            case 2 -> new ProjectEvent.Deleted(project);
            case 3 -> new ThreadEvent.Created(thread, "p" + b % 3, "Thread " + b, "model", "main", null);
            case 4 -> new ThreadEvent.MetaUpdated(thread, "Title " + b, null, "branch-" + b, "/wt/" + b);
            case 5 -> new ThreadEvent.Archived(thread);
            case 6 -> new ThreadEvent.Unarchived(thread);
            case 7 -> new ThreadEvent.RuntimeModeSet(thread, RuntimeMode.values()[b % 2]);
            case 8 -> new ThreadEvent.InteractionModeSet(thread, InteractionMode.values()[b % 2]);
            case 9, 10 -> new ThreadEvent.MessageSent(thread, message + "-" + thread + "-" + operation % 7,
                    b % 2 == 0 ? null : turn + thread, Role.values()[b % 3], "text " + b, b % 2 == 0);
            case 11, 12 -> new ThreadEvent.MessageDeltaAppended(thread, message + "-" + thread + "-" + b % 7,
                    " delta" + b);
            case 13 -> new ThreadEvent.MessageCompleted(thread, message + "-" + thread + "-" + b % 7);
            case 14 -> new ThreadEvent.TurnStartRequested(thread, turn + thread, null);
            case 15 -> new ThreadEvent.TurnStarted(thread, turn + thread);
            case 16 -> new ThreadEvent.TurnInterrupted(thread, turn + thread, "stopped");
            case 17 -> new ThreadEvent.TurnCompleted(thread, turn + thread, b % 3 == 0 ? null : "ref-" + b,
                    CheckpointStatus.values()[b % 3], List.of("f" + b), b == 4 ? "boom" : null);
            case 18 -> new ThreadEvent.CheckpointReverted(thread, turn + thread, "ref-" + b);
            case 19 -> new ThreadEvent.ApprovalRequested(thread, "a" + b + thread, turn + thread, "command",
                    "run ls " + b);
            case 20 -> new ThreadEvent.ApprovalDecided(thread, "a" + b + thread, ApprovalDecision.values()[b % 4]);
            case 21 -> new ThreadEvent.Deleted(thread);
            case 22 -> new SettingEvent.Set("k" + a, Json.tree("{\"v\":" + b + "}"));
            case 23 -> new SettingEvent.Cleared("k" + a);
            default -> null;
        };
        try {
            if (event != null) {
                log.append(event.streamId(), ExpectedVersion.any(), Orchestration.data(event).withOccurredAt(at));
            } else if (kind == 24) {
                log.deleteStream(b % 3 == 0 ? "project:" + project : b % 3 == 1 ? "thread:" + thread
                        : "setting:k" + a);
            } else if (kind == 25) {
                log.append("thread:" + thread, ExpectedVersion.any(),
                        EventData.of("thread.from-the-future", "{\"x\":" + b + "}"));
            } else {
                log.append("goal:" + a, ExpectedVersion.any(), EventData.of("goal.noted", "{}"));
            }
        } catch (ConflictException refused) {
            // A duplicate message, turn or approval id: the projection refuses it, so the log does not keep it.
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
