package dev.cairn.goals.internal;

import dev.cairn.InvalidInputException;
import dev.cairn.goals.Task;
import dev.cairn.goals.TaskSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The rules of a goal's task graph: what a valid graph is, and its order. Pure, no SQL; which tasks are ready is
 * decided in the database ({@link TaskTable}).
 */
final class TaskGraph {
    private TaskGraph() {}

    /**
     * Checks that {@code added} may join {@code existing} (the ids and dependencies of the tasks staying in the goal's
     * graph): same goal, unique ids, known dependencies, no cycle. Throws before anything is written.
     */
    static void validate(String goalId, Map<String, List<String>> existing, List<TaskSpec> added) {
        Map<String, List<String>> graph = new LinkedHashMap<>(existing);
        for (TaskSpec spec : added) {
            if (!goalId.equals(spec.goalId())) {
                throw new InvalidInputException("task " + spec.id() + " belongs to goal " + spec.goalId()
                        + ", not to goal " + goalId + "; a batch holds the tasks of one goal. Nothing was written");
            }
            if (graph.putIfAbsent(spec.id(), spec.dependsOn()) != null) {
                throw new InvalidInputException("task id " + spec.id() + " appears twice in the task graph of goal "
                        + goalId + "; task ids are unique within a goal. Nothing was written");
            }
        }
        for (TaskSpec spec : added) {
            for (String dependency : spec.dependsOn()) {
                if (!graph.containsKey(dependency)) {
                    throw new InvalidInputException("task " + spec.id() + " of goal " + goalId
                            + " depends on unknown task " + dependency + ". Nothing was written");
                }
            }
        }
        List<String> cycle = findCycle(graph);
        if (!cycle.isEmpty()) {
            throw new InvalidInputException("the task graph of goal " + goalId + " has a cycle: "
                    + String.join(" -> ", cycle) + ". Nothing was written");
        }
    }

    /** A cycle as the path that closes it ({@code a, b, c, a}), or empty when the graph has none. */
    static List<String> findCycle(Map<String, List<String>> graph) {
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> cycle = visit(start, graph, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> visit(String node, Map<String, List<String>> graph, Map<String, Integer> state,
            List<String> path) {
        Integer seen = state.get(node);
        if (seen != null) {
            if (seen == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
                cycle.add(node);
                return cycle;
            }
            return List.of();
        }
        state.put(node, 1);
        path.add(node);
        for (String next : graph.getOrDefault(node, List.of())) {
            List<String> cycle = visit(next, graph, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        state.put(node, 2);
        return List.of();
    }

    /** Dependencies first; among tasks free to go, the one added first. Tasks are given in position order. */
    static List<Task> topological(List<Task> tasks) {
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<Task>> dependents = new HashMap<>();
        Set<String> ids = new HashSet<>();
        tasks.forEach(t -> ids.add(t.id()));
        PriorityQueue<Task> free = new PriorityQueue<>(Comparator.comparingInt(Task::position));
        for (Task task : tasks) {
            int count = 0;
            for (String dependency : task.dependsOn()) {
                if (ids.contains(dependency)) {
                    count++;
                    dependents.computeIfAbsent(dependency, d -> new ArrayList<>()).add(task);
                }
            }
            waiting.put(task.id(), count);
            if (count == 0) {
                free.add(task);
            }
        }
        List<Task> order = new ArrayList<>(tasks.size());
        while (!free.isEmpty()) {
            Task task = free.poll();
            order.add(task);
            for (Task dependent : dependents.getOrDefault(task.id(), List.of())) {
                if (waiting.merge(dependent.id(), -1, Integer::sum) == 0) {
                    free.add(dependent);
                }
            }
        }
        return order;
    }
}
