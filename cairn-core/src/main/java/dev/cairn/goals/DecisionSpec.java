package dev.cairn.goals;

import dev.cairn.InvalidInputException;
import java.util.List;

/**
 * A decision to record: who decided what, in which phase, and why.
 *
 * @param constraints what the decision must respect
 * @param artifacts paths of the artifacts it rests on
 */
public record DecisionSpec(String actor, GoalPhase phase, String kind, String decision, String rationale,
        List<String> constraints, List<String> artifacts) {
    public DecisionSpec {
        if (actor == null || actor.isBlank() || decision == null || decision.isBlank()) {
            throw new InvalidInputException("a decision needs an actor and the decision itself");
        }
        kind = kind == null || kind.isBlank() ? "general" : kind;
        constraints = List.copyOf(constraints == null ? List.of() : constraints);
        artifacts = List.copyOf(artifacts == null ? List.of() : artifacts);
    }

    public static DecisionSpec of(String actor, GoalPhase phase, String kind, String decision, String rationale) {
        return new DecisionSpec(actor, phase, kind, decision, rationale, null, null);
    }
}
