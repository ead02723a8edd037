package dev.cairn.events.internal;

import dev.cairn.InvalidInputException;
import dev.cairn.events.RecordedEvent;
import dev.cairn.internal.Session;
import dev.cairn.projections.CheckpointView;
import dev.cairn.projections.MessageView;
import dev.cairn.projections.Page;
import dev.cairn.projections.PendingApproval;
import dev.cairn.projections.ProjectView;
import dev.cairn.projections.ProjectorStatus;
import dev.cairn.projections.Projections;
import dev.cairn.projections.RebuildProgress;
import dev.cairn.projections.SettingView;
import dev.cairn.projections.ThreadView;
import dev.cairn.projections.TurnView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The projections on a {@link Session}: queries, status and rebuild. */
public final class ProjectionStore implements Projections {
    static final int REBUILD_BATCH = 1000;
    private static final int MAX_PAGE = 1000;

    private final Session session;

    public ProjectionStore(Session session) {
        this.session = session;
    }

    @Override
    public List<ProjectView> projects() {
        return session.read(ProjectRows::all);
    }

    @Override
    public Optional<ProjectView> project(String projectId) {
        return session.read(c -> ProjectRows.one(c, projectId));
    }

    @Override
    public Page<ThreadView> threads(String projectId, boolean includeArchived, int limit, Long cursor) {
        checkLimit(limit);
        return session.read(c -> ThreadRows.page(c, projectId, includeArchived, limit, cursor));
    }

    @Override
    public Optional<ThreadView> thread(String threadId) {
        return session.read(c -> ThreadRows.one(c, threadId));
    }

    @Override
    public Page<MessageView> messages(String threadId, int limit, Long cursor) {
        checkLimit(limit);
        return session.read(c -> MessageRows.page(c, threadId, limit, cursor));
    }

    @Override
    public List<TurnView> turns(String threadId) {
        return session.read(c -> TurnRows.ofThread(c, threadId));
    }

    @Override
    public List<CheckpointView> checkpoints(String threadId) {
        return session.read(c -> CheckpointRows.ofThread(c, threadId));
    }

    @Override
    public List<PendingApproval> pendingApprovals(String threadId) {
        return session.read(c -> ApprovalRows.pending(c, threadId));
    }

    @Override
    public List<SettingView> settings() {
        return session.read(SettingRows::all);
    }

    @Override
    public Optional<SettingView> setting(String key) {
        return session.read(c -> SettingRows.one(c, key));
    }

    @Override
    public List<ProjectorStatus> status() {
        return session.read(c -> {
            long head = EventTable.head(c);
            List<ProjectorCursors.Position> positions = ProjectorCursors.all(c);
            List<ProjectorStatus> result = new ArrayList<>();
            for (Projector projector : ProjectorRunner.PROJECTORS) {
                ProjectorCursors.Position position = positions.stream()
                        .filter(p -> p.projector().equals(projector.name()))
                        .findFirst()
                        .orElse(new ProjectorCursors.Position(projector.name(), 0, Instant.EPOCH));
                long applied = position.lastAppliedSequence() == ProjectorCursors.LIVE
                        ? head
                        : position.lastAppliedSequence();
                result.add(new ProjectorStatus(projector.name(), applied, head, position.updatedAt()));
            }
            return result;
        });
    }

    @Override
    public long rebuild(RebuildProgress progress) {
        Objects.requireNonNull(progress, "progress");
        long replayed = 0;
        for (Projector projector : ProjectorRunner.PROJECTORS) {
            // Setting the cursor to 0 makes appends leave this projector alone until the batches below catch up.
            // Each step first locks the log's head, which every append locks before it asks whether the projector is
            // live: an append in flight when the projector is cleared or set live would otherwise project into
            // cleared tables, or not at all, with many writers (PostgreSQL).
            session.write(c -> {
                EventTable.lockHead(c, session.dialect());
                projector.clear(c);
                ProjectorCursors.set(c, projector.name(), 0, now());
                return null;
            });
            while (true) {
                long[] step = session.write(c -> {
                    EventTable.lockHead(c, session.dialect());
                    long head = EventTable.head(c);
                    long position = ProjectorCursors.get(c, projector.name());
                    List<RecordedEvent> batch = EventTable.page(c, position, null, List.of(), REBUILD_BATCH);
                    if (batch.isEmpty()) {
                        // Caught up: from here on, appends project again, in this same write transaction's wake.
                        ProjectorCursors.set(c, projector.name(), ProjectorCursors.LIVE, now());
                        return new long[] {0, head, head};
                    }
                    projector.apply(c, batch);
                    long last = batch.get(batch.size() - 1).sequence();
                    ProjectorCursors.set(c, projector.name(), last, now());
                    return new long[] {batch.size(), last, head};
                });
                replayed += step[0];
                progress.progress(step[1], step[2]);
                if (step[0] == 0) {
                    break;
                }
            }
        }
        return replayed;
    }

    private Instant now() {
        return Instant.ofEpochMilli(session.clock().millis());
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidInputException("limit must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
    }
}
