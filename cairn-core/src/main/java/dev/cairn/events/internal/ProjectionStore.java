package dev.cairn.events.internal;

import dev.cairn.InvalidInputException;
import dev.cairn.events.LogPosition;
import dev.cairn.events.RecordedEvent;
import dev.cairn.internal.Dialect;
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
            LogPosition head = EventTable.lastPosition(c, session.dialect());
            List<ProjectorCursors.Position> positions = ProjectorCursors.all(c);
            List<ProjectorStatus> result = new ArrayList<>();
            for (Projector projector : ProjectorRunner.PROJECTORS) {
                ProjectorCursors.Position position = positions.stream()
                        .filter(p -> p.projector().equals(projector.name()))
                        .findFirst()
                        .orElse(new ProjectorCursors.Position(projector.name(), LogPosition.START, Instant.EPOCH));
                LogPosition applied = position.applied() == null ? head : position.applied();
                result.add(new ProjectorStatus(projector.name(), applied, head, position.updatedAt()));
            }
            return result;
        });
    }

    /** One step of a rebuild: how many events it applied, where it got to, the log's head, and whether it is live. */
    private record Step(int applied, LogPosition position, LogPosition head, boolean live) {}

    @Override
    public long rebuild(RebuildProgress progress) {
        Objects.requireNonNull(progress, "progress");
        Dialect dialect = session.dialect();
        long replayed = 0;
        for (Projector projector : ProjectorRunner.PROJECTORS) {
            // Every step takes the projections lock alone, which appends that project (and deletions) hold shared
            // until they commit: an append in flight when the projector is cleared or set live would otherwise
            // project into cleared tables, or not at all, with many writers (PostgreSQL). From the clear on, the
            // cursor is not live, so appends leave this projector alone until the steps below catch up.
            session.write(c -> {
                dialect.lockExclusive(c, ProjectorRunner.LOCK);
                projector.clear(c);
                ProjectorCursors.set(c, projector.name(), LogPosition.START, now());
                return null;
            });
            while (true) {
                Step step = session.write(c -> {
                    dialect.lockExclusive(c, ProjectorRunner.LOCK);
                    LogPosition position = ProjectorCursors.applied(c, projector.name());
                    // Only what every reader can see: an event below it cannot commit behind the position any more.
                    List<RecordedEvent> batch = EventTable.page(c, dialect, session.eventIds(), position, null, List.of(), REBUILD_BATCH,
                            true);
                    if (!batch.isEmpty()) {
                        projector.apply(c, batch);
                        LogPosition last = batch.get(batch.size() - 1).position();
                        ProjectorCursors.set(c, projector.name(), last, now());
                        return new Step(batch.size(), last, EventTable.lastPosition(c, dialect), false);
                    }
                    // Caught up with what readers can see. Events committed since, beyond the commit horizon, are
                    // applied too: under the lock no append of an event this projector takes can be in flight, and
                    // any that comes later finds the projector live and projects itself. Then go live, in this same
                    // transaction.
                    int applied = 0;
                    for (List<RecordedEvent> rest; !(rest = EventTable.page(c, dialect, session.eventIds(), position, null, List.of(),
                            REBUILD_BATCH, false)).isEmpty(); ) {
                        projector.apply(c, rest);
                        applied += rest.size();
                        position = rest.get(rest.size() - 1).position();
                    }
                    ProjectorCursors.setLive(c, projector.name(), now());
                    return new Step(applied, position, EventTable.lastPosition(c, dialect), true);
                });
                replayed += step.applied();
                // The last steps may apply events the head (what readers see) does not count yet.
                progress.progress(step.position(), step.head().compareTo(step.position()) < 0 ? step.position()
                        : step.head());
                if (step.live()) {
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
