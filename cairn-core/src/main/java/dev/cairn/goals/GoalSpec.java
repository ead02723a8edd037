package dev.cairn.goals;

import dev.cairn.InvalidInputException;
import java.util.regex.Pattern;

/**
 * A goal to create. Start from {@link #of} and change what differs with the {@code with...} methods.
 *
 * @param id the goal's id, {@code [A-Za-z0-9][A-Za-z0-9._:-]{0,127}} (it names the goal's event stream
 *     {@code goal:ID}); null to have one generated
 * @param originalText what was asked, as written
 * @param normalizedText the goal restated for the planner; the original text when null
 * @param kind a free-form classification, for example {@code feature} or {@code bugfix}
 * @param projectDir the directory the goal works in; artifact paths are relative to it
 * @param phase the phase it starts in
 * @param terminalCriteria what "done" means, as a JSON document, or null
 */
public record GoalSpec(String id, String originalText, String normalizedText, String kind, String projectDir,
        GoalPhase phase, DeliveryPolicy deliveryPolicy, MergePolicy mergePolicy, boolean untilReady,
        boolean sliceExecution, int maxAgents, Budget budget, String terminalCriteria) {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    public GoalSpec {
        if (id != null && !ID.matcher(id).matches()) {
            throw new InvalidInputException("goal id '" + id + "' must be 1-128 of [A-Za-z0-9._:-] starting with a "
                    + "letter or digit");
        }
        if (originalText == null || originalText.isBlank()) {
            throw new InvalidInputException("a goal needs its text");
        }
        if (normalizedText == null || normalizedText.isBlank()) {
            normalizedText = originalText.strip();
        }
        if (kind == null || kind.isBlank()) {
            kind = "general";
        }
        if (projectDir == null || projectDir.isBlank()) {
            throw new InvalidInputException("goal '" + originalText + "' needs a project directory");
        }
        phase = phase == null ? GoalPhase.INTAKE : phase;
        deliveryPolicy = deliveryPolicy == null ? DeliveryPolicy.LOCAL : deliveryPolicy;
        mergePolicy = mergePolicy == null ? MergePolicy.DISABLED : mergePolicy;
        if (maxAgents < 1) {
            throw new InvalidInputException("maxAgents is at least 1, was " + maxAgents);
        }
        budget = budget == null ? Budget.UNLIMITED : budget;
    }

    /** A goal in the intake phase, delivered locally, never merged, one agent, no budget limits. */
    public static GoalSpec of(String id, String text, String projectDir) {
        return new GoalSpec(id, text, null, null, projectDir, null, null, null, false, false, 1, null, null);
    }

    public GoalSpec withNormalizedText(String text) {
        return new GoalSpec(id, originalText, text, kind, projectDir, phase, deliveryPolicy, mergePolicy, untilReady,
                sliceExecution, maxAgents, budget, terminalCriteria);
    }

    public GoalSpec withKind(String kind) {
        return new GoalSpec(id, originalText, normalizedText, kind, projectDir, phase, deliveryPolicy, mergePolicy,
                untilReady, sliceExecution, maxAgents, budget, terminalCriteria);
    }

    public GoalSpec withPhase(GoalPhase phase) {
        return new GoalSpec(id, originalText, normalizedText, kind, projectDir, phase, deliveryPolicy, mergePolicy,
                untilReady, sliceExecution, maxAgents, budget, terminalCriteria);
    }

    public GoalSpec withPolicies(DeliveryPolicy delivery, MergePolicy merge) {
        return new GoalSpec(id, originalText, normalizedText, kind, projectDir, phase, delivery, merge, untilReady,
                sliceExecution, maxAgents, budget, terminalCriteria);
    }

    /** Whether to keep working until the goal is ready, and whether to split execution into leased slices. */
    public GoalSpec withExecution(boolean untilReady, boolean sliceExecution, int maxAgents) {
        return new GoalSpec(id, originalText, normalizedText, kind, projectDir, phase, deliveryPolicy, mergePolicy,
                untilReady, sliceExecution, maxAgents, budget, terminalCriteria);
    }

    public GoalSpec withBudget(Budget budget) {
        return new GoalSpec(id, originalText, normalizedText, kind, projectDir, phase, deliveryPolicy, mergePolicy,
                untilReady, sliceExecution, maxAgents, budget, terminalCriteria);
    }

    public GoalSpec withTerminalCriteria(String json) {
        return new GoalSpec(id, originalText, normalizedText, kind, projectDir, phase, deliveryPolicy, mergePolicy,
                untilReady, sliceExecution, maxAgents, budget, json);
    }
}
