package dev.cairn.goals;

import java.time.Instant;
import java.util.List;

/**
 * A stored task of a goal's graph.
 *
 * @param position its place in the order tasks were added, which breaks ties in every ordering of tasks
 * @param owner who claimed it, or null
 * @param evidence what was recorded to show it done
 * @param retryCount how often it failed and went back to pending
 * @param leaseExpiresAt when its owner's claim runs out, or null
 * @param heartbeatAt when its owner was last heard from (the claim or its last heartbeat) while it runs, else null
 */
public record Task(String goalId, String id, int position, String title, String description, String kind,
        TaskStatus status, String owner, List<String> readSet, List<String> writeSet, List<String> dependsOn,
        List<String> acceptance, List<String> evidence, String risk, int retryCount, int maxRetries,
        Instant leaseExpiresAt, Instant heartbeatAt, Instant completedAt, Instant createdAt, Instant updatedAt) {
    public Task {
        readSet = List.copyOf(readSet);
        writeSet = List.copyOf(writeSet);
        dependsOn = List.copyOf(dependsOn);
        acceptance = List.copyOf(acceptance);
        evidence = List.copyOf(evidence);
    }
}
