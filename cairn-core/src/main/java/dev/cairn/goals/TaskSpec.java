package dev.cairn.goals;

import dev.cairn.InvalidInputException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A task to add to a goal's graph. Start from {@link #of} and add dependencies and sets with the {@code with...}
 * methods.
 *
 * @param goalId the goal it belongs to; a batch for another goal refuses it
 * @param id unique within the goal, {@code [A-Za-z0-9][A-Za-z0-9._:/-]{0,127}}
 * @param readSet paths it reads; {@code writeSet} paths it writes
 * @param dependsOn ids of tasks of the same goal that must be done first
 * @param acceptance what must hold for the task to count as done
 * @param maxRetries how often a failed task goes back to pending before it stays failed
 */
public record TaskSpec(String goalId, String id, String title, String description, String kind,
        List<String> readSet, List<String> writeSet, List<String> dependsOn, List<String> acceptance, String risk,
        int maxRetries) {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
    public static final int DEFAULT_MAX_RETRIES = 3;

    public TaskSpec {
        if (goalId == null || goalId.isBlank()) {
            throw new InvalidInputException("task '" + id + "' needs the id of its goal");
        }
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidInputException("task id '" + id + "' of goal " + goalId
                    + " must be 1-128 of [A-Za-z0-9._:/-] starting with a letter or digit");
        }
        if (title == null || title.isBlank()) {
            title = id;
        }
        kind = kind == null || kind.isBlank() ? "task" : kind;
        readSet = List.copyOf(readSet == null ? List.of() : readSet);
        writeSet = List.copyOf(writeSet == null ? List.of() : writeSet);
        dependsOn = List.copyOf(dependsOn == null ? List.of() : dependsOn);
        acceptance = List.copyOf(acceptance == null ? List.of() : acceptance);
        if (maxRetries < 0) {
            throw new InvalidInputException("maxRetries of task " + id + " cannot be negative, was " + maxRetries);
        }
    }

    public static TaskSpec of(String goalId, String id, String title) {
        return new TaskSpec(goalId, id, title, null, null, null, null, null, null, null, DEFAULT_MAX_RETRIES);
    }

    public TaskSpec withDependsOn(String... taskIds) {
        return new TaskSpec(goalId, id, title, description, kind, readSet, writeSet, List.of(taskIds), acceptance,
                risk, maxRetries);
    }

    public TaskSpec withDescription(String description) {
        return new TaskSpec(goalId, id, title, description, kind, readSet, writeSet, dependsOn, acceptance, risk,
                maxRetries);
    }

    public TaskSpec withKind(String kind) {
        return new TaskSpec(goalId, id, title, description, kind, readSet, writeSet, dependsOn, acceptance, risk,
                maxRetries);
    }

    public TaskSpec withSets(List<String> readSet, List<String> writeSet) {
        return new TaskSpec(goalId, id, title, description, kind, readSet, writeSet, dependsOn, acceptance, risk,
                maxRetries);
    }

    public TaskSpec withAcceptance(String... criteria) {
        return new TaskSpec(goalId, id, title, description, kind, readSet, writeSet, dependsOn, List.of(criteria),
                risk, maxRetries);
    }

    public TaskSpec withRisk(String risk) {
        return new TaskSpec(goalId, id, title, description, kind, readSet, writeSet, dependsOn, acceptance, risk,
                maxRetries);
    }

    public TaskSpec withMaxRetries(int maxRetries) {
        return new TaskSpec(goalId, id, title, description, kind, readSet, writeSet, dependsOn, acceptance, risk,
                maxRetries);
    }
}
