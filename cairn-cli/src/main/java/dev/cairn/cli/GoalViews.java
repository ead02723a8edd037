package dev.cairn.cli;

import dev.cairn.Owner;
import dev.cairn.goals.Artifact;
import dev.cairn.goals.Budget;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.Decision;
import dev.cairn.goals.GateResult;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalSummary;
import dev.cairn.goals.Money;
import dev.cairn.goals.Proof;
import dev.cairn.goals.SliceLease;
import dev.cairn.goals.Task;
import dev.cairn.goals.TaskStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The goal store as the goal commands print it: JSON shapes and text for people. */
final class GoalViews {
    private GoalViews() {}

    /**
     * The goal list's shape; {@code now} is the store's shared clock ({@code goals().sharedNow()}), which the
     * heartbeat's age is measured against, so that the age is right whichever host the command runs on.
     */
    static Map<String, Object> json(GoalSummary s, Instant now) {
        Map<String, Object> map = JsonOutput.object();
        map.put("id", s.id());
        map.put("text", s.text());
        map.put("kind", s.kind());
        map.put("status", s.status().toString());
        map.put("phase", s.phase().toString());
        putController(map, s.controller(), s.heartbeatAt(), now);
        map.put("createdAt", s.createdAt());
        map.put("updatedAt", s.updatedAt());
        map.put("tasks", taskCounts(s.taskCounts()));
        map.put("budget", s.latestBudget() == null ? null : json(s.latestBudget()));
        map.put("cursor", s.cursor());
        return map;
    }

    static Map<String, Object> json(Goal g, Instant now) {
        Map<String, Object> map = JsonOutput.object();
        map.put("id", g.id());
        map.put("originalText", g.originalText());
        map.put("normalizedText", g.normalizedText());
        map.put("kind", g.kind());
        map.put("projectDir", g.projectDir());
        map.put("status", g.status().toString());
        map.put("phase", g.phase().toString());
        map.put("deliveryPolicy", g.deliveryPolicy().storedName());
        map.put("mergePolicy", g.mergePolicy().storedName());
        map.put("untilReady", g.untilReady());
        map.put("sliceExecution", g.sliceExecution());
        map.put("maxAgents", g.maxAgents());
        map.put("budget", json(g.budget()));
        map.put("terminalCriteria", g.terminalCriteria());
        map.put("failure", g.failure());
        putController(map, g.controller(), g.heartbeatAt(), now);
        map.put("createdAt", g.createdAt());
        map.put("updatedAt", g.updatedAt());
        map.put("completedAt", g.completedAt());
        map.put("version", g.version());
        return map;
    }

    /** A goal's controller: who (or null), its last heartbeat, and how old that is on the store's clock. */
    private static void putController(Map<String, Object> map, Owner controller, Instant heartbeatAt, Instant now) {
        map.put("controller", controller == null ? null : json(controller));
        map.put("heartbeatAt", heartbeatAt);
        map.put("heartbeatAgeMs", heartbeatAt == null ? null : Duration.between(heartbeatAt, now).toMillis());
    }

    static Map<String, Object> json(Owner o) {
        Map<String, Object> map = JsonOutput.object();
        map.put("id", o.id());
        map.put("host", o.host());
        map.put("pid", o.pid());
        return map;
    }

    static Map<String, Object> json(Budget b) {
        Map<String, Object> map = JsonOutput.object();
        map.put("timeSeconds", b.timeSeconds());
        map.put("tokens", b.tokens());
        map.put("cents", cents(b.money()));
        return map;
    }

    static Map<String, Object> json(Task t) {
        Map<String, Object> map = JsonOutput.object();
        map.put("id", t.id());
        map.put("title", t.title());
        map.put("kind", t.kind());
        map.put("status", t.status().toString());
        map.put("owner", t.owner());
        map.put("dependsOn", t.dependsOn());
        map.put("readSet", t.readSet());
        map.put("writeSet", t.writeSet());
        map.put("acceptance", t.acceptance());
        map.put("evidence", t.evidence());
        map.put("risk", t.risk());
        map.put("retryCount", t.retryCount());
        map.put("maxRetries", t.maxRetries());
        map.put("leaseExpiresAt", t.leaseExpiresAt());
        map.put("completedAt", t.completedAt());
        return map;
    }

    static Map<String, Object> json(BudgetCheckpoint c) {
        Map<String, Object> map = JsonOutput.object();
        map.put("label", c.label());
        map.put("recordedAt", c.recordedAt());
        map.put("elapsedSeconds", c.elapsedSeconds());
        map.put("tokensUsed", c.tokensUsed());
        map.put("spentCents", c.spent().cents());
        map.put("remainingSeconds", c.remainingSeconds());
        map.put("remainingTokens", c.remainingTokens());
        map.put("remainingCents", cents(c.remainingMoney()));
        map.put("exhausted", c.exhausted());
        return map;
    }

    static Map<String, Object> json(Proof p) {
        Map<String, Object> map = JsonOutput.object();
        map.put("version", p.version());
        map.put("status", p.status());
        map.put("readiness", p.readiness());
        map.put("summary", p.summary());
        map.put("gatesPassed", p.gatesPassed());
        map.put("gatesTotal", p.gatesTotal());
        map.put("gates", p.gates().stream().map(GoalViews::json).toList());
        map.put("generatedAt", p.generatedAt());
        return map;
    }

    static Map<String, Object> json(GateResult g) {
        Map<String, Object> map = JsonOutput.object();
        map.put("name", g.name());
        map.put("command", g.command());
        map.put("passed", g.passed());
        map.put("summary", g.summary());
        return map;
    }

    static Map<String, Object> json(Artifact a) {
        Map<String, Object> map = JsonOutput.object();
        map.put("id", a.id());
        map.put("kind", a.kind());
        map.put("path", a.path());
        map.put("baseDir", a.baseDir());
        map.put("mimeType", a.mimeType());
        map.put("sizeBytes", a.sizeBytes());
        map.put("sha256", a.sha256());
        map.put("createdAt", a.createdAt());
        return map;
    }

    static Map<String, Object> json(Decision d) {
        Map<String, Object> map = JsonOutput.object();
        map.put("id", d.id());
        map.put("actor", d.actor());
        map.put("phase", d.phase() == null ? null : d.phase().toString());
        map.put("kind", d.kind());
        map.put("decision", d.decision());
        map.put("rationale", d.rationale());
        map.put("createdAt", d.createdAt());
        return map;
    }

    static Map<String, Object> json(SliceLease l, Instant now) {
        Map<String, Object> map = JsonOutput.object();
        map.put("id", l.id());
        map.put("goalId", l.goalId());
        map.put("sliceId", l.sliceId());
        map.put("owner", json(l.owner()));
        map.put("ownerRole", l.ownerRole());
        map.put("writeSet", l.writeSet());
        map.put("claimedAt", l.claimedAt());
        map.put("heartbeatAt", l.heartbeatAt());
        map.put("heartbeatAgeMs", Duration.between(l.heartbeatAt(), now).toMillis());
        return map;
    }

    static void printGoals(PrintWriter out, List<GoalSummary> goals, Instant now) {
        if (goals.isEmpty()) {
            out.println("no goals match");
            return;
        }
        Table table = Table.of("GOAL", "STATUS", "PHASE", "CREATED", "TASKS DONE", "CONTROLLER", "HEARTBEAT", "TEXT");
        for (GoalSummary s : goals) {
            int done = s.taskCounts().getOrDefault(TaskStatus.DONE, 0);
            table.row(s.id(), s.status(), s.phase(), Table.time(s.createdAt()), done + "/" + s.taskCount(),
                    s.controller() == null ? "none" : s.controller().id(), age(s.heartbeatAt(), now),
                    Table.shorten(s.text(), 60));
        }
        table.print(out);
    }

    /** {@code handBack} gives the command that hands a goal back (null when there is no controller to release). */
    static void printOrphans(PrintWriter out, List<Goal> goals, Instant now, Function<Goal, String> handBack) {
        if (goals.isEmpty()) {
            out.println("no orphaned goals: every running goal has a live controller");
            return;
        }
        Table table = Table.of("GOAL", "LAST CONTROLLER", "HOST", "PID", "LAST HEARTBEAT", "HAND BACK WITH", "TEXT");
        for (Goal g : goals) {
            Owner c = g.controller();
            String command = handBack.apply(g);
            table.row(g.id(), c == null ? "none" : c.id(), c == null ? "" : c.host(), c == null ? "" : c.pid(),
                    age(g.heartbeatAt(), now), command == null ? "(unclaimed: any controller may claim it)" : command,
                    Table.shorten(g.normalizedText(), 60));
        }
        table.print(out);
    }

    static void printLeases(PrintWriter out, List<SliceLease> leases, Instant now) {
        if (leases.isEmpty()) {
            out.println("no active leases");
            return;
        }
        Table table = Table.of("LEASE", "GOAL", "SLICE", "OWNER", "HOST", "PID", "ROLE", "HEARTBEAT", "WRITE SET");
        for (SliceLease l : leases) {
            table.row(l.id(), l.goalId(), l.sliceId(), l.owner().id(), l.owner().host(), l.owner().pid(),
                    l.ownerRole(), age(l.heartbeatAt(), now), String.join(", ", l.writeSet()));
        }
        table.print(out);
    }

    /** How long ago a heartbeat was, on the store's clock: "3 s ago", or "never". */
    static String age(Instant heartbeatAt, Instant now) {
        return heartbeatAt == null ? "never" : TimeArgs.human(Duration.between(heartbeatAt, now).abs()) + " ago";
    }

    /**
     * The task graph as a tree: roots are tasks without dependencies, and each task appears under the dependency it
     * first meets in topological order; under its other dependencies it is named, not repeated.
     */
    static void printGraph(PrintWriter out, List<Task> topological) {
        Map<String, List<Task>> dependents = new LinkedHashMap<>();
        for (Task t : topological) {
            for (String d : t.dependsOn()) {
                dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(t);
            }
        }
        Set<String> shown = new HashSet<>();
        for (Task t : topological) {
            if (t.dependsOn().isEmpty()) {
                printTask(out, t, "  ", "", dependents, shown);
            }
        }
    }

    private static void printTask(PrintWriter out, Task t, String indent, String branch,
            Map<String, List<Task>> dependents, Set<String> shown) {
        if (!shown.add(t.id())) {
            out.println(indent + branch + t.id() + " (shown above)");
            return;
        }
        String owner = t.owner() != null && t.status() == TaskStatus.RUNNING ? ", " + t.owner() : "";
        String retries = t.retryCount() > 0 ? ", retry " + t.retryCount() + "/" + t.maxRetries() : "";
        String also = t.dependsOn().size() > 1 ? "  (needs " + String.join(", ", t.dependsOn()) + ")" : "";
        out.println(indent + branch + mark(t.status()) + " " + t.id() + " [" + t.status() + owner + retries + "] "
                + t.title() + also);
        List<Task> children = dependents.getOrDefault(t.id(), List.of());
        String childIndent = indent + (branch.isEmpty() ? "" : branch.startsWith("└") ? "   " : "│  ");
        for (int i = 0; i < children.size(); i++) {
            printTask(out, children.get(i), childIndent, i == children.size() - 1 ? "└─ " : "├─ ", dependents, shown);
        }
    }

    private static String mark(TaskStatus status) {
        return switch (status) {
            case DONE -> "✔";
            case RUNNING -> "▶";
            case FAILED -> "✘";
            case CANCELLED -> "—";
            case BLOCKED -> "⏸";
            case PENDING, READY -> "·";
        };
    }

    static String taskSummary(List<Task> tasks) {
        Map<String, Long> counts = tasks.stream().collect(Collectors.groupingBy(t -> t.status().toString(),
                TreeMap::new, Collectors.counting()));
        return tasks.size() + " tasks" + (counts.isEmpty() ? "" : ": " + counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
    }

    static String budgetLine(Budget budget, BudgetCheckpoint latest) {
        if (latest == null) {
            return "budget     " + limits(budget) + "; nothing used yet";
        }
        return "budget     " + latest.elapsedSeconds() + " s of " + limit(budget.timeSeconds(), " s") + ", "
                + latest.tokensUsed() + " tokens of " + limit(budget.tokens(), "") + ", " + latest.spent() + " of "
                + (budget.money() == null ? "unlimited" : budget.money()) + " (at '" + latest.label() + "')"
                + (latest.exhausted() ? "  EXHAUSTED" : "");
    }

    private static String limits(Budget b) {
        return limit(b.timeSeconds(), " s") + ", " + limit(b.tokens(), " tokens") + ", "
                + (b.money() == null ? "unlimited money" : b.money().toString());
    }

    private static String limit(Long value, String unit) {
        return value == null ? "unlimited" : value + unit;
    }

    private static Long cents(Money money) {
        return money == null ? null : money.cents();
    }

    private static Map<String, Integer> taskCounts(Map<TaskStatus, Integer> counts) {
        Map<String, Integer> map = new TreeMap<>();
        counts.forEach((status, n) -> map.put(status.toString(), n));
        return map;
    }

}
