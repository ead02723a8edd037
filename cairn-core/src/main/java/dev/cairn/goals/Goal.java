package dev.cairn.goals;

import java.time.Instant;

/**
 * A stored goal. {@code version} grows by one with every change of its state (status, phase, controller, failure)
 * and is what {@link GoalStore#updateStatus} checks; controller heartbeats do not change it.
 *
 * @param terminalCriteria JSON, or null
 * @param failure why it failed or was cancelled, as JSON, or null
 * @param controllerPid the process that controls it, or null
 * @param heartbeatAt the controller's last heartbeat, or null
 * @param completedAt when it reached a terminal status, or null
 */
public record Goal(String id, String originalText, String normalizedText, String kind, String projectDir,
        GoalStatus status, GoalPhase phase, DeliveryPolicy deliveryPolicy, MergePolicy mergePolicy,
        boolean untilReady, boolean sliceExecution, int maxAgents, Budget budget, String terminalCriteria,
        String failure, Long controllerPid, Instant heartbeatAt, Instant createdAt, Instant updatedAt,
        Instant completedAt, long version) {

    /** The event stream holding this goal's history. */
    public String streamId() {
        return streamId(id);
    }

    public static String streamId(String goalId) {
        return "goal:" + goalId;
    }
}
