package dev.cairn.goals;

import dev.cairn.Owner;
import java.time.Instant;

/**
 * A stored goal. {@code version} grows by one with every change of its state (status, phase, controller, failure)
 * and is what {@link GoalStore#updateStatus} checks; controller heartbeats do not change it. The controller's fencing
 * token is not part of it: reading a goal does not hand out the right to control it.
 *
 * @param terminalCriteria JSON, or null
 * @param failure why it failed or was cancelled, as JSON, or null
 * @param controller the owner that controls it (or last did, until another takes it over), or null
 * @param heartbeatAt the controller's last heartbeat on the store's shared clock
 *     ({@link dev.cairn.Repositories#sharedNow()}), or null
 * @param completedAt when it reached a terminal status, or null
 */
public record Goal(String id, String originalText, String normalizedText, String kind, String projectDir,
        GoalStatus status, GoalPhase phase, DeliveryPolicy deliveryPolicy, MergePolicy mergePolicy,
        boolean untilReady, boolean sliceExecution, int maxAgents, Budget budget, String terminalCriteria,
        String failure, Owner controller, Instant heartbeatAt, Instant createdAt, Instant updatedAt,
        Instant completedAt, long version) {

    /** The event stream holding this goal's history. */
    public String streamId() {
        return streamId(id);
    }

    public static String streamId(String goalId) {
        return "goal:" + goalId;
    }
}
