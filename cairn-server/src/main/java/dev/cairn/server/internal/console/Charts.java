package dev.cairn.server.internal.console;

import static dev.cairn.server.internal.console.Html.esc;

import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.runs.Run;
import dev.cairn.runs.Step;
import dev.cairn.runs.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/** The console's two charts as inline SVG: a budget burn line against its limit, and a run's steps on a time axis. */
final class Charts {
    private static final int W = 360;
    private static final int H = 150;
    private static final int LEFT = 64;
    private static final int BOTTOM = 24;
    private static final int TOP = 12;

    private Charts() {}

    /**
     * One dimension of a goal's budget: what was used at each checkpoint, in order, against the limit (a dashed
     * line) when there is one.
     */
    static String burn(String title, String id, List<BudgetCheckpoint> checkpoints,
            ToLongFunction<BudgetCheckpoint> used, Long limit, LongFunction<String> label) {
        long top = Math.max(1, checkpoints.stream().mapToLong(used).max().orElse(0));
        if (limit != null && limit > 0) {
            top = Math.max(top, limit);
        }
        double plotW = W - LEFT - 12;
        double plotH = H - TOP - BOTTOM;
        int n = checkpoints.size();
        StringBuilder out = new StringBuilder("<figure class=\"chart\"><svg role=\"img\" aria-labelledby=\"burn-")
                .append(id).append("\" class=\"burn\" id=\"chart-").append(id).append("\" width=\"").append(W)
                .append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\"><title id=\"burn-").append(id).append("\">").append(esc(title)).append(" used over ")
                .append(n).append(" checkpoints").append(limit == null ? ", no limit" : " against a limit of "
                        + esc(label.apply(limit))).append("</title>");
        out.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP + plotH).append("\" x2=\"")
                .append(W - 12).append("\" y2=\"").append(TOP + plotH).append("\"/><line class=\"axis\" x1=\"")
                .append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT).append("\" y2=\"")
                .append(TOP + plotH).append("\"/>");
        out.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(TOP + 8).append("\" text-anchor=\"end\">")
                .append(esc(label.apply(top))).append("</text><text x=\"").append(LEFT - 6).append("\" y=\"")
                .append(TOP + plotH).append("\" text-anchor=\"end\">0</text>");
        if (limit != null && limit > 0) {
            double y = TOP + plotH - plotH * limit / top;
            out.append("<line class=\"limit\" x1=\"").append(LEFT).append("\" y1=\"").append(Html.num(y))
                    .append("\" x2=\"").append(W - 12).append("\" y2=\"").append(Html.num(y)).append("\"/>")
                    .append("<text class=\"limit-label\" x=\"").append(W - 14).append("\" y=\"")
                    .append(Html.num(y + 14)).append("\" text-anchor=\"end\">limit</text>");
        }
        StringBuilder points = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (int i = 0; i < n; i++) {
            BudgetCheckpoint c = checkpoints.get(i);
            double x = LEFT + (n == 1 ? plotW / 2 : plotW * i / (n - 1));
            double y = TOP + plotH - plotH * used.applyAsLong(c) / top;
            points.append(Html.num(x)).append(',').append(Html.num(y)).append(' ');
            dots.append("<circle cx=\"").append(Html.num(x)).append("\" cy=\"").append(Html.num(y))
                    .append("\" r=\"3.5\"><title>").append(esc(c.label())).append(": ")
                    .append(esc(label.apply(used.applyAsLong(c)))).append("</title></circle>");
        }
        out.append("<polyline class=\"used\" points=\"").append(points.toString().strip()).append("\"/>").append(dots);
        out.append("<text x=\"").append(LEFT).append("\" y=\"").append(H - 6).append("\">")
                .append(esc(checkpoints.get(0).label())).append("</text><text x=\"").append(W - 12).append("\" y=\"")
                .append(H - 6).append("\" text-anchor=\"end\">").append(esc(checkpoints.get(n - 1).label()))
                .append("</text></svg><figcaption>").append(esc(title)).append(": ")
                .append(esc(label.apply(used.applyAsLong(checkpoints.get(n - 1)))))
                .append(limit == null ? "" : " of " + esc(label.apply(limit))).append("</figcaption></figure>");
        return out.toString();
    }

    /** A run's steps as bars on one time axis from the run's start; failed steps are red and say so. */
    static String timeline(Run run, List<Step> steps, Instant now) {
        Instant start = run.createdAt();
        Instant end = run.finishedAt().orElse(now);
        for (Step step : steps) {
            Instant stepEnd = step.finishedAt().orElse(now);
            if (stepEnd.isAfter(end)) {
                end = stepEnd;
            }
            if (step.startedAt().isBefore(start)) {
                start = step.startedAt();
            }
        }
        long total = Math.max(1, Duration.between(start, end).toMillis());
        int labelW = 170;
        int width = 1000;
        int rowH = 28;
        double plotW = width - labelW - 90;
        int height = 30 + steps.size() * rowH;
        StringBuilder out = new StringBuilder("<svg id=\"timeline\" class=\"timeline\" role=\"img\" "
                + "aria-labelledby=\"timeline-title\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\"><title "
                        + "id=\"timeline-title\">").append(steps.size()).append(" steps on a time axis of ")
                .append(esc(Html.duration(Duration.ofMillis(total)))).append("</title>");
        for (int tick = 0; tick <= 4; tick++) {
            double x = labelW + plotW * tick / 4;
            out.append("<line class=\"tick\" x1=\"").append(Html.num(x)).append("\" y1=\"18\" x2=\"")
                    .append(Html.num(x)).append("\" y2=\"").append(height).append("\"/><text x=\"")
                    .append(Html.num(x)).append("\" y=\"12\" text-anchor=\"middle\">+")
                    .append(esc(Html.duration(Duration.ofMillis(total * tick / 4)))).append("</text>");
        }
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            long from = Duration.between(start, step.startedAt()).toMillis();
            long to = Duration.between(start, step.finishedAt().orElse(now)).toMillis();
            double x = labelW + plotW * from / total;
            double w = Math.max(3, plotW * (to - from) / total);
            int y = 24 + i * rowH;
            String status = step.status().toString();
            boolean failed = step.status() == StepStatus.FAILED;
            out.append("<g class=\"step s-").append(esc(status)).append("\" data-step=\"").append(esc(step.name()))
                    .append("\" data-status=\"").append(esc(status)).append("\"><text x=\"").append(labelW - 8)
                    .append("\" y=\"").append(y + 15).append("\" text-anchor=\"end\">").append(esc(step.name()))
                    .append("</text><rect x=\"").append(Html.num(x)).append("\" y=\"").append(y).append("\" width=\"")
                    .append(Html.num(w)).append("\" height=\"").append(rowH - 8).append("\" rx=\"3\"><title>")
                    .append(esc(step.name())).append(": ").append(esc(status)).append(", ")
                    .append(step.duration().map(Html::duration).orElse("running"))
                    .append(step.message().map(m -> ", " + esc(m)).orElse("")).append("</title></rect><text x=\"")
                    .append(Html.num(x + w + 6)).append("\" y=\"").append(y + 15).append("\">")
                    .append(failed ? "✗ failed" : step.duration().map(Html::duration).orElse("running"))
                    .append("</text></g>");
        }
        return out.append("</svg>").toString();
    }
}
