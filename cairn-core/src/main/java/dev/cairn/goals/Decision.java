package dev.cairn.goals;

import java.time.Instant;
import java.util.List;

/** A recorded decision of a goal; decisions are only ever appended. */
public record Decision(long id, String goalId, String actor, GoalPhase phase, String kind, String decision,
        String rationale, List<String> constraints, List<String> artifacts, Instant createdAt) {
    public Decision {
        constraints = List.copyOf(constraints);
        artifacts = List.copyOf(artifacts);
    }
}
