package dev.cairn.events.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.InvalidInputException;
import dev.cairn.events.RecordedEvent;
import dev.cairn.events.StreamId;
import dev.cairn.events.orchestration.Orchestration;
import dev.cairn.events.orchestration.OrchestrationEvent;
import dev.cairn.events.orchestration.ProjectEvent;
import dev.cairn.events.orchestration.SettingEvent;
import dev.cairn.events.orchestration.ThreadEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Projects the orchestration catalogue into the projection tables. Every row is keyed by the aggregate whose stream
 * built it (a project, a thread and its turns and messages, a setting), so deleting a stream deletes exactly its
 * rows. Times come from the events' {@code occurredAt}, never from a clock, so a rebuild reproduces every row.
 * Events about rows that do not exist (a delta for an unknown message) change nothing.
 */
final class OrchestrationProjector implements Projector {
    @Override
    public String name() {
        return "orchestration";
    }

    @Override
    public boolean projects(String type) {
        return Orchestration.CATALOGUE.knows(type);
    }

    @Override
    public void apply(Connection c, List<RecordedEvent> events) throws SQLException {
        for (RecordedEvent recorded : events) {
            if (!Orchestration.CATALOGUE.knows(recorded.type())) {
                continue;
            }
            Optional<OrchestrationEvent> event = Orchestration.decode(recorded);
            if (event.isPresent()) {
                refuseWhatColumnsCannotKeep(recorded, event.get());
                apply(c, event.get(), recorded.sequence(), recorded.occurredAt());
            }
        }
    }

    /**
     * Refuses an event whose strings a projection column could not keep exactly (NUL, an unpaired surrogate), so
     * that no row silently holds a {@code ?} instead. The payload holds such chars only as {@code \\u} escapes (a
     * raw NUL is not JSON, raw surrogates are escaped when stored), so payloads without one are passed at once.
     * A message's text and deltas are checked by {@link MessageRows} once joined, since halves of one character may
     * arrive in two deltas.
     */
    private static void refuseWhatColumnsCannotKeep(RecordedEvent recorded, OrchestrationEvent event) {
        if (!recorded.payload().contains("\\u") || event instanceof ThreadEvent.MessageSent
                || event instanceof ThreadEvent.MessageDeltaAppended) {
            return;
        }
        List<String> texts = new ArrayList<>();
        collectTexts(recorded.payloadTree(), texts);
        for (String text : texts) {
            int bad = ExactText.firstUnkeepable(text);
            if (bad >= 0) {
                throw new InvalidInputException("the " + recorded.type() + " event on stream " + recorded.streamId()
                        + " holds " + ExactText.describe(text, bad) + " in a text the projections cannot keep "
                        + "exactly; send text of whole characters without NUL (the event was not appended)");
            }
        }
    }

    private static void collectTexts(JsonNode node, List<String> texts) {
        if (node.isTextual()) {
            texts.add(node.textValue());
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            texts.add(field.getKey());
            collectTexts(field.getValue(), texts);
        }
        if (node.isArray()) {
            node.forEach(element -> collectTexts(element, texts));
        }
    }

    private static void apply(Connection c, OrchestrationEvent event, long sequence, Instant at) throws SQLException {
        if (event instanceof ProjectEvent project) {
            applyProject(c, project, at);
        } else if (event instanceof ThreadEvent thread) {
            applyThread(c, thread, sequence, at);
        } else if (event instanceof SettingEvent.Set set) {
            SettingRows.set(c, set, at);
        } else if (event instanceof SettingEvent.Cleared cleared) {
            SettingRows.delete(c, cleared.key());
        }
    }

    private static void applyProject(Connection c, ProjectEvent event, Instant at) throws SQLException {
        if (event instanceof ProjectEvent.Created e) {
            ProjectRows.created(c, e, at);
        } else if (event instanceof ProjectEvent.MetaUpdated e) {
            ProjectRows.metaUpdated(c, e, at);
        } else if (event instanceof ProjectEvent.Deleted e) {
            ProjectRows.delete(c, e.projectId());
        }
    }

    private static void applyThread(Connection c, ThreadEvent event, long sequence, Instant at) throws SQLException {
        String threadId = event.threadId();
        if (event instanceof ThreadEvent.Created e) {
            ThreadRows.created(c, e, sequence, at);
        } else if (event instanceof ThreadEvent.MetaUpdated e) {
            ThreadRows.metaUpdated(c, e, at);
        } else if (event instanceof ThreadEvent.Archived) {
            ThreadRows.archived(c, threadId, true, at);
        } else if (event instanceof ThreadEvent.Unarchived) {
            ThreadRows.archived(c, threadId, false, at);
        } else if (event instanceof ThreadEvent.Deleted) {
            forgetThread(c, threadId);
        } else if (event instanceof ThreadEvent.RuntimeModeSet e) {
            ThreadRows.runtimeMode(c, threadId, e.mode(), at);
        } else if (event instanceof ThreadEvent.InteractionModeSet e) {
            ThreadRows.interactionMode(c, threadId, e.mode(), at);
        } else if (event instanceof ThreadEvent.MessageSent e) {
            MessageRows.sent(c, e, sequence, at);
            ThreadRows.messageAdded(c, threadId, at);
        } else if (event instanceof ThreadEvent.MessageDeltaAppended e) {
            MessageRows.deltaAppended(c, e, at);
        } else if (event instanceof ThreadEvent.MessageCompleted e) {
            MessageRows.completed(c, e, at);
        } else if (event instanceof ThreadEvent.TurnStartRequested e) {
            long ordinal = ThreadRows.turnAdded(c, threadId, e.turnId(), at);
            if (ordinal > 0) {
                TurnRows.requested(c, e, ordinal, at);
            }
        } else if (event instanceof ThreadEvent.TurnStarted e) {
            TurnRows.started(c, e, at);
        } else if (event instanceof ThreadEvent.TurnInterrupted e) {
            TurnRows.interrupted(c, e, at);
        } else if (event instanceof ThreadEvent.TurnCompleted e) {
            TurnRows.completed(c, e, at);
            if (e.checkpointRef() != null && TurnRows.ordinal(c, threadId, e.turnId()) > 0) {
                CheckpointRows.taken(c, e, at);
            }
        } else if (event instanceof ThreadEvent.CheckpointReverted e) {
            revert(c, threadId, e.turnId(), at);
        } else if (event instanceof ThreadEvent.ApprovalRequested e) {
            ApprovalRows.requested(c, e, at);
        } else if (event instanceof ThreadEvent.ApprovalDecided e) {
            ApprovalRows.decided(c, e);
        }
        // ActivityAppended is not projected: the thread's stream is its activity feed.
    }

    /** Undoes the turns after {@code turnId}: their messages, checkpoints and approvals go, and the counts follow. */
    private static void revert(Connection c, String threadId, String turnId, Instant at) throws SQLException {
        long ordinal = TurnRows.ordinal(c, threadId, turnId);
        if (ordinal < 0) {
            return;
        }
        MessageRows.deleteAfterTurn(c, threadId, ordinal);
        CheckpointRows.deleteAfterTurn(c, threadId, ordinal);
        ApprovalRows.deleteAfterTurn(c, threadId, ordinal);
        TurnRows.deleteAfter(c, threadId, ordinal);
        ThreadRows.recount(c, threadId, at);
    }

    private static void forgetThread(Connection c, String threadId) throws SQLException {
        MessageRows.deleteOfThread(c, threadId);
        CheckpointRows.deleteOfThread(c, threadId);
        ApprovalRows.deleteOfThread(c, threadId);
        TurnRows.deleteOfThread(c, threadId);
        ThreadRows.delete(c, threadId);
    }

    @Override
    public void forgetStream(Connection c, String streamId) throws SQLException {
        String id = StreamId.id(streamId);
        switch (StreamId.kind(streamId)) {
            case "project" -> ProjectRows.delete(c, id);
            case "thread" -> forgetThread(c, id);
            case "setting" -> SettingRows.delete(c, id);
            default -> {
                // not a stream of this catalogue: no rows of ours came from it
            }
        }
    }

    @Override
    public void clear(Connection c) throws SQLException {
        MessageRows.clear(c);
        CheckpointRows.clear(c);
        ApprovalRows.clear(c);
        TurnRows.clear(c);
        ThreadRows.clear(c);
        ProjectRows.clear(c);
        SettingRows.clear(c);
    }
}
