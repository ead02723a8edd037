package dev.cairn.server.internal.console;

import dev.cairn.goals.Task;
import dev.cairn.goals.TaskStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A goal's task graph drawn as inline SVG: each task sits in the layer one past its deepest dependency (longest-path
 * layering), layers run left to right, and each dependency is one arrow from the dependency's right side to the
 * dependent's left side. Within a layer, tasks follow the mean row of their dependencies, which keeps most arrows
 * short and uncrossed without a layout library.
 */
final class Dag {
    static final int NODE_W = 190;
    static final int NODE_H = 58;
    private static final int GAP_X = 70;
    private static final int GAP_Y = 18;
    private static final int PAD = 10;

    private Dag() {}

    /** Where one task is drawn. */
    record Placed(Task task, int layer, int row, int x, int y) {}

    static Map<String, Placed> layout(List<Task> tasks) {
        Map<String, Task> byId = new LinkedHashMap<>();
        tasks.forEach(t -> byId.put(t.id(), t));
        Map<String, Integer> layers = new HashMap<>();
        for (Task task : tasks) {
            layer(task.id(), byId, layers, new java.util.HashSet<>());
        }
        int depth = layers.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        Map<String, Integer> rows = new HashMap<>();
        Map<String, Placed> placed = new LinkedHashMap<>();
        for (int layer = 0; layer < depth; layer++) {
            List<Task> column = new ArrayList<>();
            for (Task task : tasks) {
                if (layers.get(task.id()) == layer) {
                    column.add(task);
                }
            }
            column.sort(Comparator.comparingDouble((Task t) -> meanRow(t, rows)).thenComparingInt(Task::position));
            for (int row = 0; row < column.size(); row++) {
                Task task = column.get(row);
                rows.put(task.id(), row);
                placed.put(task.id(), new Placed(task, layer, row, PAD + layer * (NODE_W + GAP_X),
                        PAD + row * (NODE_H + GAP_Y)));
            }
        }
        return placed;
    }

    private static int layer(String id, Map<String, Task> byId, Map<String, Integer> layers,
            java.util.Set<String> visiting) {
        Integer known = layers.get(id);
        if (known != null) {
            return known;
        }
        int layer = 0;
        if (visiting.add(id)) { // the library refuses cycles; this only keeps a damaged graph from looping
            for (String dependency : byId.get(id).dependsOn()) {
                if (byId.containsKey(dependency)) {
                    layer = Math.max(layer, layer(dependency, byId, layers, visiting) + 1);
                }
            }
        }
        layers.put(id, layer);
        return layer;
    }

    private static double meanRow(Task task, Map<String, Integer> rows) {
        return task.dependsOn().stream().filter(rows::containsKey).mapToInt(rows::get).average().orElse(0);
    }

    static String svg(List<Task> tasks) {
        Map<String, Placed> placed = layout(tasks);
        int width = placed.values().stream().mapToInt(p -> p.x() + NODE_W).max().orElse(0) + PAD;
        int height = placed.values().stream().mapToInt(p -> p.y() + NODE_H).max().orElse(0) + PAD;
        StringBuilder out = new StringBuilder();
        out.append("<svg id=\"dag\" class=\"dag\" role=\"img\" aria-labelledby=\"dag-title\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\"><title id=\"dag-title\">Task graph: ").append(tasks.size())
                .append(" tasks, dependencies drawn as arrows from the dependency to the dependent</title>")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
                        + "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" "
                        + "fill=\"#333\"/></marker></defs>");
        for (Placed to : placed.values()) {
            for (String dependency : to.task().dependsOn()) {
                Placed from = placed.get(dependency);
                if (from == null) {
                    continue;
                }
                int x1 = from.x() + NODE_W;
                int y1 = from.y() + NODE_H / 2;
                int x2 = to.x();
                int y2 = to.y() + NODE_H / 2;
                int bend = (x2 - x1) / 2;
                out.append("<path class=\"edge\" data-from=\"").append(Html.esc(dependency)).append("\" data-to=\"")
                        .append(Html.esc(to.task().id())).append("\" d=\"M").append(x1).append(',').append(y1)
                        .append(" C").append(x1 + bend).append(',').append(y1).append(' ').append(x2 - bend)
                        .append(',').append(y2).append(' ').append(x2).append(',').append(y2)
                        .append("\" marker-end=\"url(#arrow)\"/>");
            }
        }
        for (Placed p : placed.values()) {
            Task task = p.task();
            String status = task.status().toString();
            String second = task.status() == TaskStatus.RUNNING && task.owner() != null ? "held by " + task.owner()
                    : task.id();
            out.append("<g class=\"task s-").append(Html.esc(status)).append("\" data-task=\"")
                    .append(Html.esc(task.id())).append("\" data-status=\"").append(Html.esc(status))
                    .append("\" data-layer=\"").append(p.layer()).append("\">")
                    .append("<rect x=\"").append(p.x()).append("\" y=\"").append(p.y()).append("\" width=\"")
                    .append(NODE_W).append("\" height=\"").append(NODE_H).append("\" rx=\"6\"/>")
                    .append("<text x=\"").append(p.x() + 8).append("\" y=\"").append(p.y() + 17).append("\" "
                            + "class=\"t-title\">").append(Html.esc(clip(task.title(), 26))).append("</text>")
                    .append("<text x=\"").append(p.x() + 8).append("\" y=\"").append(p.y() + 34).append("\">")
                    .append(Html.esc(clip(second, 28))).append("</text>")
                    .append("<text x=\"").append(p.x() + 8).append("\" y=\"").append(p.y() + 50)
                    .append("\" class=\"t-status\">").append(Html.esc(status))
                    .append(task.retryCount() > 0 ? " · retry " + task.retryCount() : "").append("</text></g>");
        }
        return out.append("</svg>").toString();
    }

    private static String clip(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
