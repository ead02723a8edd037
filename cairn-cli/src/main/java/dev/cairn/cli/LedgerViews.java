package dev.cairn.cli;

import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.Cost;
import dev.cairn.runs.RecordedCall;
import dev.cairn.runs.Run;
import dev.cairn.runs.Step;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** How runs, steps and audit entries look on the command line, as text and as JSON; shared with the demo. */
final class LedgerViews {
    private LedgerViews() {}

    /** Prints {@code {"database": ..., key: [items]}}, the JSON shape of every listing command. */
    static void printJsonList(CairnCommand root, String key, List<?> items) {
        Map<String, Object> result = JsonOutput.document(root);
        result.put(key, items);
        root.printJson(result);
    }

    /** {@code now} is the store's shared clock ({@code sharedNow()}), which the heartbeat's age is measured against. */
    static Map<String, Object> json(Run run, Instant now) {
        Map<String, Object> map = JsonOutput.object();
        map.put("id", run.id());
        map.put("status", run.status().toString());
        map.put("createdAt", run.createdAt());
        map.put("finishedAt", run.finishedAt().orElse(null));
        map.put("durationMs", run.duration().map(Duration::toMillis).orElse(null));
        map.put("stepCount", run.stepCount());
        map.put("configHash", run.configHash());
        map.put("gitSha", run.gitSha().orElse(null));
        map.put("args", run.args());
        map.put("owner", run.owner().map(GoalViews::json).orElse(null));
        map.put("heartbeatAt", run.heartbeatAt().orElse(null));
        map.put("heartbeatAgeMs", run.heartbeatAt().map(at -> Duration.between(at, now).toMillis()).orElse(null));
        map.put("key", run.key().orElse(null));
        map.put("goalId", run.goalId().orElse(null));
        return map;
    }

    static Map<String, Object> json(Step step, Instant runStart) {
        Map<String, Object> map = JsonOutput.object();
        map.put("id", step.id());
        map.put("position", step.position());
        map.put("name", step.name());
        map.put("status", step.status().toString());
        map.put("startedAt", step.startedAt());
        map.put("finishedAt", step.finishedAt().orElse(null));
        map.put("offsetMs", Duration.between(runStart, step.startedAt()).toMillis());
        map.put("durationMs", step.duration().map(Duration::toMillis).orElse(null));
        map.put("stats", step.stats());
        map.put("message", step.message().orElse(null));
        map.put("result", step.result().orElse(null));
        map.put("exceptionClass", step.exceptionClass().orElse(null));
        map.put("attempts", step.attempts());
        return map;
    }

    static Map<String, Object> json(RecordedCall call) {
        Map<String, Object> map = JsonOutput.object();
        map.put("stepPosition", call.stepPosition());
        map.put("position", call.position());
        map.put("kind", call.kind());
        map.put("startedAt", call.startedAt());
        map.put("durationMs", call.duration().toMillis());
        map.put("costTokens", call.cost().map(Cost::tokens).orElse(null));
        map.put("costCents", call.cost().map(Cost::cents).orElse(null));
        map.put("request", call.request());
        map.put("response", call.response());
        return map;
    }

    static Map<String, Object> json(AuditEntry entry) {
        Map<String, Object> map = JsonOutput.object();
        map.put("id", entry.id());
        map.put("at", entry.at());
        map.put("level", entry.level().toString());
        map.put("runId", entry.runId().orElse(null));
        map.put("scope", entry.scope());
        map.put("event", entry.event());
        map.put("message", entry.message());
        map.put("data", entry.data().isNull() ? null : entry.data());
        return map;
    }

    /** Runs, and for an unfinished one its owner and the age of its last heartbeat on the store's clock. */
    static void printRuns(PrintWriter out, List<Run> runs, java.util.Set<String> resumable, Instant now) {
        if (runs.isEmpty()) {
            out.println("no runs recorded yet");
            return;
        }
        Table table = Table.of("RUN", "CREATED", "STATUS", "STEPS", "DURATION", "OWNER", "HEARTBEAT", "CONFIG", "ARGS");
        for (Run run : runs) {
            boolean open = run.finishedAt().isEmpty();
            table.row(run.id(), Table.time(run.createdAt()), resumable.contains(run.id()) ? "resumable" : run.status(),
                    run.stepCount(),
                    run.duration().map(TimeArgs::human).orElse(null),
                    open ? run.owner().map(o -> o.id()).orElse("none") : "",
                    open ? GoalViews.age(run.heartbeatAt().orElse(null), now) : "", run.configHash().substring(0, 12),
                    Table.shorten(run.args().toString(), 60));
        }
        table.print(out);
    }

    /** A run, its steps as a timeline (offset from the run's start, duration, status), and its audit entries. */
    static void printRun(PrintWriter out, Run run, List<Step> steps, List<RecordedCall> calls,
            List<AuditEntry> audit, Instant now) {
        out.println("run        " + run.id());
        run.key().ifPresent(key -> out.println("key        " + key));
        run.goalId().ifPresent(goal -> out.println("goal       " + goal));
        out.println("status     " + run.status());
        out.println("owner      " + run.owner().map(o -> o.id() + " (host " + o.host() + ", pid " + o.pid()
                + "), last heartbeat " + GoalViews.age(run.heartbeatAt().orElse(null), now)).orElse("none recorded"));
        out.println("created    " + Table.time(run.createdAt()));
        out.println("finished   " + run.finishedAt().map(Table::time).orElse("-")
                + run.duration().map(d -> " (" + TimeArgs.human(d) + ")").orElse(""));
        out.println("git sha    " + run.gitSha().orElse("-"));
        out.println("config     " + run.configHash() + "  " + Table.shorten(run.config().toString(), 80));
        out.println("args       " + Table.shorten(run.args().toString(), 100));
        out.println();
        out.println("steps");
        if (steps.isEmpty()) {
            out.println("  (none)");
        }
        Table timeline = Table.headless().indent("  ");
        for (Step step : steps) {
            timeline.row(step.position(), "+" + TimeArgs.human(Duration.between(run.createdAt(), step.startedAt())),
                    step.name(), step.status(), step.duration().map(TimeArgs::human).orElse("running"),
                    step.attempts() > 1 ? "attempt " + step.attempts() : "",
                    step.message().orElse(step.result().map(r -> "= " + Table.shorten(r.toString(), 60)).orElse("")));
        }
        timeline.print(out);
        if (!calls.isEmpty()) {
            out.println();
            out.println("calls");
            Table table = Table.headless().indent("  ");
            for (RecordedCall call : calls) {
                table.row(call.stepPosition() + "." + call.position(), call.kind(),
                        TimeArgs.human(call.duration()), call.cost().map(c -> c.tokens() + " tokens, " + c.cents()
                                + " cents").orElse(""), Table.shorten(call.request().toString(), 50) + " -> "
                                + Table.shorten(call.response().toString(), 50));
            }
            table.print(out);
        }
        out.println();
        out.println("audit");
        printAudit(out, audit, false);
    }

    static void printAudit(PrintWriter out, List<AuditEntry> entries, boolean showRun) {
        if (entries.isEmpty()) {
            out.println("  (no entries)");
        }
        Table table = Table.headless().indent("  ");
        for (AuditEntry e : entries) {
            table.row(Table.time(e.at()), e.level(), e.scope(), e.event(), e.message()
                    + (showRun ? e.runId().map(id -> "  [run " + id + "]").orElse("") : ""));
        }
        table.print(out);
    }
}
