package dev.cairn.projections;

import java.util.List;
import java.util.Optional;

/**
 * The read models the orchestration projector keeps in step with the event log: projects, threads, turns, messages,
 * checkpoints, pending approvals and settings. Reached as {@code db.projections()} or {@code tx.projections()}. They
 * are updated in the transaction of each append, so a reader never sees an event without its projection.
 */
public interface Projections {
    /** Every project, by title. */
    List<ProjectView> projects();

    Optional<ProjectView> project(String projectId);

    /**
     * Threads newest first, of one project (or of all when {@code projectId} is null), archived ones only when asked.
     *
     * @param limit 1 to 1000
     * @param cursor null for the first page, else {@link Page#next()} of the previous one
     */
    Page<ThreadView> threads(String projectId, boolean includeArchived, int limit, Long cursor);

    Optional<ThreadView> thread(String threadId);

    /** A thread's messages, oldest first. */
    Page<MessageView> messages(String threadId, int limit, Long cursor);

    /** A thread's turns, in order. */
    List<TurnView> turns(String threadId);

    /** A thread's checkpoints, in turn order. */
    List<CheckpointView> checkpoints(String threadId);

    /** Approvals not decided yet, oldest first, of one thread (or of all when {@code threadId} is null). */
    List<PendingApproval> pendingApprovals(String threadId);

    /** Every setting, by key. */
    List<SettingView> settings();

    Optional<SettingView> setting(String key);

    /** Each projector's position against the head of the log. */
    List<ProjectorStatus> status();

    /**
     * Empties the projection tables and replays the whole log into them, in batches of one transaction each, telling
     * {@code progress} after each; returns how many events were replayed. Appends go on meanwhile (the rebuild picks
     * them up); readers see the tables fill up. If it stops half way, the projector stays behind (see
     * {@link #status()}) until a rebuild is run again.
     */
    long rebuild(RebuildProgress progress);
}
