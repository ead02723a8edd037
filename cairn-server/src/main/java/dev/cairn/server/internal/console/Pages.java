package dev.cairn.server.internal.console;

import static dev.cairn.server.internal.console.Html.badge;
import static dev.cairn.server.internal.console.Html.esc;
import static dev.cairn.server.internal.console.Html.seg;
import static dev.cairn.server.internal.console.Html.time;

import dev.cairn.Repositories;
import dev.cairn.NotFoundException;
import dev.cairn.conversations.ConversationSummary;
import dev.cairn.conversations.HistoryEntry;
import dev.cairn.events.EventQuery;
import dev.cairn.events.RecordedEvent;
import dev.cairn.goals.Artifact;
import dev.cairn.goals.Budget;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.Decision;
import dev.cairn.goals.GateResult;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalFilter;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.GoalSummary;
import dev.cairn.goals.Proof;
import dev.cairn.goals.SliceLease;
import dev.cairn.goals.Task;
import dev.cairn.goals.TaskStatus;
import dev.cairn.projections.MessageView;
import dev.cairn.projections.Page;
import dev.cairn.projections.ProjectView;
import dev.cairn.projections.ThreadView;
import dev.cairn.projections.TurnView;
import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.AuditQuery;
import dev.cairn.runs.Run;
import dev.cairn.runs.Step;
import dev.cairn.runs.StepStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's pages, rendered on the server from the library's public read API, each from one read snapshot so
 * that its parts agree: each page is complete HTML that
 * works without script; {@code console.js} only swaps in a fresh {@code <main>} when the live tail reports a change.
 */
final class Pages {
    private Pages() {}

    private static final int EVENTS_SHOWN = 200;

    /** A rendered page: its title, the live behaviour console.js gives it, and the content of its main element. */
    record Rendered(String title, String live, String main) {}

    // ---------------------------------------------------------------- goals

    static Rendered goals(Repositories db, Map<String, String> query) {
        GoalFilter filter = GoalFilter.all().limit(50);
        String status = query.getOrDefault("status", "");
        String phase = query.getOrDefault("phase", "");
        String kind = query.getOrDefault("kind", "");
        String text = query.getOrDefault("q", "");
        if (!status.isEmpty()) {
            filter = filter.withStatus(GoalStatus.fromStored(status));
        }
        if (!phase.isEmpty()) {
            filter = filter.withPhase(GoalPhase.fromStored(phase));
        }
        if (!kind.isBlank()) {
            filter = filter.withKind(kind.strip());
        }
        if (!text.isBlank()) {
            filter = filter.containing(text.strip());
        }
        if (query.containsKey("after")) {
            filter = filter.after(query.get("after"));
        }
        List<GoalSummary> goals = db.goals().list(filter);
        StringBuilder out = new StringBuilder("<h1>Goals</h1>");
        out.append("<form class=\"filters\" method=\"get\" action=\"/\" role=\"search\" aria-label=\"Filter goals\">")
                .append(select("status", "Status", status, GoalStatus.values()))
                .append(select("phase", "Phase", phase, GoalPhase.values()))
                .append("<label>Kind <input name=\"kind\" value=\"").append(esc(kind)).append("\" size=\"10\"></label>")
                .append("<label>Text <input name=\"q\" type=\"search\" value=\"").append(esc(text))
                .append("\" size=\"18\"></label><button type=\"submit\">Filter</button>")
                .append(" <a href=\"/\">Clear</a></form>");
        if (goals.isEmpty()) {
            out.append("<p>No goal matches.</p>");
        } else {
            out.append("<table class=\"list\" id=\"goals\"><caption>Newest first</caption><thead><tr><th scope=\"col\">"
                    + "Goal</th><th scope=\"col\">Status</th><th scope=\"col\">Phase</th><th scope=\"col\">Tasks"
                    + "</th><th scope=\"col\">Budget use</th><th scope=\"col\">Controller</th>"
                    + "<th scope=\"col\">Created</th></tr></thead><tbody>");
            for (GoalSummary goal : goals) {
                out.append("<tr data-goal=\"").append(esc(goal.id())).append("\"><td><a href=\"/goals/")
                        .append(seg(goal.id())).append("\">").append(esc(goal.id())).append("</a><div class=\"sub\">")
                        .append(esc(clip(goal.text(), 90))).append("</div></td><td>").append(badge(goal.status()))
                        .append("</td><td>").append(esc(goal.phase())).append("</td><td>")
                        .append(progress(goal.taskCounts())).append("</td><td>")
                        .append(budgetUse(goal.latestBudget())).append("</td><td>")
                        .append(esc(goal.controller() == null ? "" : goal.controller().id())).append("</td><td>")
                        .append(time(goal.createdAt())).append("</td></tr>");
            }
            out.append("</tbody></table>");
            String next = goals.get(goals.size() - 1).cursor();
            if (goals.size() == filter.limit() && next != null) {
                out.append("<p><a href=\"/?").append(keep(query)).append("after=").append(seg(next))
                        .append("\">Older goals</a></p>");
            }
        }
        return new Rendered("Goals", "page", out.toString());
    }

    private static String keep(Map<String, String> query) {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("status", "phase", "kind", "q")) {
            if (query.containsKey(name)) {
                out.append(name).append('=').append(seg(query.get(name))).append("&amp;");
            }
        }
        return out.toString();
    }

    private static String select(String name, String label, String chosen, Object[] values) {
        StringBuilder out = new StringBuilder("<label>").append(label).append(" <select name=\"").append(name)
                .append("\"><option value=\"\">any</option>");
        for (Object value : values) {
            String word = value.toString();
            out.append("<option").append(word.equals(chosen) ? " selected" : "").append(">").append(esc(word))
                    .append("</option>");
        }
        return out.append("</select></label>").toString();
    }

    private static String progress(Map<TaskStatus, Integer> counts) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        int done = counts.getOrDefault(TaskStatus.DONE, 0);
        if (total == 0) {
            return "<span class=\"sub\">no tasks</span>";
        }
        StringBuilder out = new StringBuilder("<meter min=\"0\" max=\"").append(total).append("\" value=\"")
                .append(done).append("\" aria-label=\"tasks done\"></meter> ").append(done).append('/').append(total);
        for (TaskStatus status : List.of(TaskStatus.RUNNING, TaskStatus.BLOCKED, TaskStatus.FAILED)) {
            int n = counts.getOrDefault(status, 0);
            if (n > 0) {
                out.append(" <span class=\"sub\">").append(n).append(' ').append(status).append("</span>");
            }
        }
        return out.toString();
    }

    private static String budgetUse(BudgetCheckpoint latest) {
        if (latest == null) {
            return "<span class=\"sub\">no checkpoint</span>";
        }
        Budget budget = latest.budget();
        List<String> parts = new ArrayList<>();
        if (budget != null && budget.timeSeconds() != null && budget.timeSeconds() > 0) {
            parts.add("time " + percent(latest.elapsedSeconds(), budget.timeSeconds()));
        }
        if (budget != null && budget.tokens() != null && budget.tokens() > 0) {
            parts.add("tokens " + percent(latest.tokensUsed(), budget.tokens()));
        }
        if (budget != null && budget.money() != null && budget.money().cents() > 0) {
            parts.add("money " + percent(latest.spent().cents(), budget.money().cents()));
        }
        return parts.isEmpty() ? esc(latest.tokensUsed() + " tokens, $" + latest.spent()) : esc(String.join(", ",
                parts));
    }

    private static String percent(long used, long limit) {
        return Math.round(100.0 * used / limit) + "%";
    }

    // ---------------------------------------------------------------- one goal

    static Rendered goal(Repositories db, String goalId) {
        Goal goal = db.goals().get(goalId);
        List<Task> tasks = db.goals().tasks().byGoal(goalId);
        List<BudgetCheckpoint> checkpoints = db.goals().budgets().byGoal(goalId);
        Optional<Proof> proof = db.goals().proofs().get(goalId);
        List<Artifact> artifacts = db.goals().artifacts().byGoal(goalId);
        List<Decision> decisions = db.goals().decisions().byGoal(goalId);
        List<SliceLease> leases = db.goals().leases().active(goalId);
        StringBuilder out = new StringBuilder();
        out.append("<h1>Goal ").append(esc(goal.id())).append(' ').append(badge(goal.status())).append("</h1>")
                .append("<p class=\"lead\">").append(esc(goal.originalText())).append("</p><dl class=\"facts\">")
                .append(fact("Phase", esc(goal.phase()))).append(fact("Kind", esc(goal.kind())))
                .append(fact("Controller", esc(goal.controller() == null ? "none" : goal.controller())))
                .append(fact("Created", time(goal.createdAt()))).append(fact("Updated", time(goal.updatedAt())))
                .append(goal.failure() == null ? "" : fact("Failure", esc(goal.failure()))).append("</dl>");
        out.append("<section aria-labelledby=\"h-graph\"><h2 id=\"h-graph\">Task graph</h2>");
        if (tasks.isEmpty()) {
            out.append("<p>No tasks planned yet.</p>");
        } else {
            out.append("<div class=\"scroll\" tabindex=\"0\" aria-label=\"Task graph, scrollable\">")
                    .append(Dag.svg(tasks)).append("</div>");
            out.append("<table class=\"list\" id=\"tasks\"><caption>Tasks, dependencies first</caption><thead><tr>"
                    + "<th scope=\"col\">Task</th><th scope=\"col\">Status</th><th scope=\"col\">Depends on</th>"
                    + "<th scope=\"col\">Lease holder</th><th scope=\"col\">Retries</th><th scope=\"col\">Evidence"
                    + "</th></tr></thead><tbody>");
            for (Task task : tasks) {
                out.append("<tr data-task=\"").append(esc(task.id())).append("\"><td>").append(esc(task.id()))
                        .append("<div class=\"sub\">").append(esc(task.title())).append("</div></td><td>")
                        .append(badge(task.status())).append("</td><td>").append(esc(String.join(", ",
                                task.dependsOn()))).append("</td><td>")
                        .append(task.status() == TaskStatus.RUNNING ? esc(task.owner()) + (task.leaseExpiresAt()
                                == null ? "" : "<div class=\"sub\">until " + time(task.leaseExpiresAt()) + "</div>")
                                : "").append("</td><td>").append(task.retryCount()).append('/')
                        .append(task.maxRetries()).append("</td><td>")
                        .append(esc(String.join("; ", task.evidence()))).append("</td></tr>");
            }
            out.append("</tbody></table>");
        }
        out.append("</section>");
        out.append("<section aria-labelledby=\"h-budget\"><h2 id=\"h-budget\">Budget</h2>");
        if (checkpoints.isEmpty()) {
            out.append("<p>No budget checkpoint yet.</p>");
        } else {
            Budget budget = goal.budget();
            out.append("<div class=\"charts\">")
                    .append(Charts.burn("Time (s)", "time", checkpoints, BudgetCheckpoint::elapsedSeconds,
                            budget == null ? null : budget.timeSeconds(), String::valueOf))
                    .append(Charts.burn("Tokens", "tokens", checkpoints, BudgetCheckpoint::tokensUsed,
                            budget == null ? null : budget.tokens(), String::valueOf))
                    .append(Charts.burn("Money ($)", "money", checkpoints, c -> c.spent().cents(),
                            budget == null || budget.money() == null ? null : budget.money().cents(),
                            cents -> dev.cairn.goals.Money.ofCents(cents).toString()))
                    .append("</div>");
            out.append("<table class=\"list\"><caption>Checkpoints</caption><thead><tr><th scope=\"col\">#</th>"
                    + "<th scope=\"col\">Label</th><th scope=\"col\">Time</th><th scope=\"col\">Tokens</th>"
                    + "<th scope=\"col\">Spent</th><th scope=\"col\">Recorded</th></tr></thead><tbody>");
            for (BudgetCheckpoint c : checkpoints) {
                out.append("<tr><td>").append(c.sequence()).append("</td><td>").append(esc(c.label()))
                        .append("</td><td>").append(Html.seconds(c.elapsedSeconds())).append("</td><td>")
                        .append(c.tokensUsed()).append("</td><td>$").append(esc(c.spent())).append("</td><td>")
                        .append(time(c.recordedAt())).append("</td></tr>");
            }
            out.append("</tbody></table>");
        }
        out.append("</section>");
        out.append("<section aria-labelledby=\"h-proof\"><h2 id=\"h-proof\">Proof gates</h2>");
        if (proof.isEmpty()) {
            out.append("<p>No proof yet.</p>");
        } else {
            Proof p = proof.get();
            out.append("<p>").append(badge(p.status())).append(' ').append(p.gatesPassed()).append('/')
                    .append(p.gatesTotal()).append(" gates passed, readiness ").append(esc(p.readiness()))
                    .append(", version ").append(p.version()).append(", ").append(time(p.generatedAt()))
                    .append("</p><table class=\"list\"><thead><tr><th scope=\"col\">Gate</th><th scope=\"col\">"
                            + "Result</th><th scope=\"col\">Command</th><th scope=\"col\">Summary</th></tr></thead>"
                            + "<tbody>");
            for (GateResult gate : p.gates()) {
                out.append("<tr><td>").append(esc(gate.name())).append("</td><td>")
                        .append(badge(gate.passed() ? "passed" : "failed")).append("</td><td><code>")
                        .append(esc(gate.command())).append("</code></td><td>").append(esc(gate.summary()))
                        .append("</td></tr>");
            }
            out.append("</tbody></table>");
        }
        out.append("</section><div class=\"two\">");
        out.append("<section aria-labelledby=\"h-artifacts\"><h2 id=\"h-artifacts\">Artifacts</h2>");
        if (artifacts.isEmpty()) {
            out.append("<p>None.</p>");
        } else {
            out.append("<ul>");
            for (Artifact a : artifacts) {
                out.append("<li><code>").append(esc(a.path())).append("</code> <span class=\"sub\">")
                        .append(esc(a.kind())).append(a.sizeBytes() == null ? "" : ", " + a.sizeBytes() + " bytes")
                        .append("</span></li>");
            }
            out.append("</ul>");
        }
        out.append("</section><section aria-labelledby=\"h-leases\"><h2 id=\"h-leases\">Active leases</h2>");
        if (leases.isEmpty()) {
            out.append("<p>None.</p>");
        } else {
            out.append("<ul>");
            for (SliceLease lease : leases) {
                out.append("<li>").append(esc(lease.sliceId())).append(" held by ").append(esc(lease.owner().id()))
                        .append(" <span class=\"sub\">").append(esc(lease.ownerRole())).append(", since ")
                        .append(time(lease.claimedAt())).append(", writes ")
                        .append(esc(String.join(", ", lease.writeSet()))).append("</span></li>");
            }
            out.append("</ul>");
        }
        out.append("</section></div>");
        out.append("<section aria-labelledby=\"h-decisions\"><h2 id=\"h-decisions\">Decisions</h2>");
        if (decisions.isEmpty()) {
            out.append("<p>None.</p>");
        } else {
            out.append("<ol>");
            for (Decision d : decisions) {
                out.append("<li><strong>").append(esc(d.decision())).append("</strong> <span class=\"sub\">")
                        .append(esc(d.kind())).append(" by ").append(esc(d.actor())).append(" in ")
                        .append(esc(d.phase())).append(", ").append(time(d.createdAt())).append("</span><div>")
                        .append(esc(d.rationale())).append("</div></li>");
            }
            out.append("</ol>");
        }
        out.append("</section>");
        List<RecordedEvent> events = db.events().readStream(goal.streamId(), 0).toList();
        out.append("<section aria-labelledby=\"h-events\"><h2 id=\"h-events\">Events</h2>")
                .append(eventTable(events.subList(Math.max(0, events.size() - EVENTS_SHOWN), events.size()), false))
                .append("</section>");
        return new Rendered("Goal " + goal.id(), "page", out.toString());
    }

    private static String fact(String name, String value) {
        return "<div><dt>" + name + "</dt><dd>" + value + "</dd></div>";
    }

    // ---------------------------------------------------------------- runs

    static Rendered runs(Repositories db) {
        List<Run> runs = db.runs().recent(100);
        StringBuilder out = new StringBuilder("<h1>Runs</h1>");
        if (runs.isEmpty()) {
            return new Rendered("Runs", "page", out.append("<p>No runs recorded.</p>").toString());
        }
        out.append("<table class=\"list\" id=\"runs\"><caption>Newest first</caption><thead><tr><th scope=\"col\">Run"
                + "</th><th scope=\"col\">Status</th><th scope=\"col\">Steps</th><th scope=\"col\">Started</th>"
                + "<th scope=\"col\">Duration</th><th scope=\"col\">Git</th></tr></thead><tbody>");
        for (Run run : runs) {
            out.append("<tr data-run=\"").append(esc(run.id())).append("\"><td><a href=\"/runs/").append(seg(run.id()))
                    .append("\">").append(esc(run.id())).append("</a></td><td>").append(badge(run.status()))
                    .append("</td><td>").append(run.stepCount()).append("</td><td>").append(time(run.createdAt()))
                    .append("</td><td>").append(run.duration().map(Html::duration).orElse("running"))
                    .append("</td><td>").append(esc(run.gitSha().orElse(""))).append("</td></tr>");
        }
        return new Rendered("Runs", "page", out.append("</tbody></table>").toString());
    }

    static Rendered run(Repositories db, String runId) {
        Run run = db.runs().get(runId);
        List<Step> steps = db.runs().steps(runId);
        List<AuditEntry> audit = db.runs().auditLog(AuditQuery.all().forRun(runId).limit(1000));
        StringBuilder out = new StringBuilder();
        out.append("<h1>Run ").append(esc(run.id())).append(' ').append(badge(run.status())).append("</h1>")
                .append("<dl class=\"facts\">").append(fact("Started", time(run.createdAt())))
                .append(fact("Finished", run.finishedAt().map(Html::time).orElse("not yet")))
                .append(fact("Steps", String.valueOf(steps.size())))
                .append(fact("Config hash", "<code>" + esc(run.configHash()) + "</code>"))
                .append(fact("Owner", esc(run.owner().map(Object::toString).orElse(""))))
                .append("</dl><section aria-labelledby=\"h-timeline\"><h2 id=\"h-timeline\">Timeline</h2>");
        if (steps.isEmpty()) {
            out.append("<p>No steps recorded.</p>");
        } else {
            out.append("<div class=\"scroll\" tabindex=\"0\" aria-label=\"Timeline, scrollable\">")
                    .append(Charts.timeline(run, steps, Instant.now())).append("</div>");
        }
        out.append("</section><section aria-labelledby=\"h-steps\"><h2 id=\"h-steps\">Steps and audit entries</h2>")
                .append("<table class=\"list\" id=\"steps\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Step"
                        + "</th><th scope=\"col\">Status</th><th scope=\"col\">Duration</th><th scope=\"col\">"
                        + "Recorded</th><th scope=\"col\">Audit entries</th></tr></thead><tbody>");
        for (Step step : steps) {
            out.append("<tr data-step=\"").append(esc(step.name())).append("\" class=\"")
                    .append(step.status() == StepStatus.FAILED ? "failed" : "").append("\"><td>")
                    .append(step.position()).append("</td><td>").append(esc(step.name())).append("</td><td>")
                    .append(badge(step.status())).append(step.message().map(m -> "<div>" + esc(m) + "</div>")
                            .orElse("")).append("</td><td>")
                    .append(step.duration().map(Html::duration).orElse("running")).append("</td><td><code>")
                    .append(step.stats() == null || step.stats().isEmpty() ? "" : esc(step.stats()))
                    .append("</code></td><td>");
            for (AuditEntry entry : audit) {
                if (entry.scope().equals(step.name())) {
                    out.append(auditLine(entry));
                }
            }
            out.append("</td></tr>");
        }
        out.append("</tbody></table></section>");
        out.append("<section aria-labelledby=\"h-audit\"><h2 id=\"h-audit\">All audit entries of the run</h2>");
        if (audit.isEmpty()) {
            out.append("<p>None.</p>");
        } else {
            out.append("<ol class=\"audit\">");
            audit.forEach(entry -> out.append("<li>").append(auditLine(entry)).append("</li>"));
            out.append("</ol>");
        }
        out.append("</section>");
        return new Rendered("Run " + run.id(), "page", out.toString());
    }

    private static String auditLine(AuditEntry entry) {
        return "<div class=\"audit-entry l-" + esc(entry.level()) + "\">" + time(entry.at()) + " <strong>"
                + esc(entry.level()) + "</strong> " + esc(entry.event()) + ": " + esc(entry.message()) + "</div>";
    }

    // ---------------------------------------------------------------- threads

    static Rendered threads(Repositories db) {
        StringBuilder out = new StringBuilder("<h1>Threads</h1><section aria-labelledby=\"h-orch\"><h2 id=\"h-orch\">"
                + "Orchestration threads</h2>");
        List<ProjectView> projects = db.projections().projects();
        boolean any = false;
        for (ProjectView project : projects) {
            Page<ThreadView> threads = db.projections().threads(project.projectId(), true, 200, null);
            if (threads.items().isEmpty()) {
                continue;
            }
            any = true;
            out.append("<h3>").append(esc(project.title())).append(" <span class=\"sub\">")
                    .append(esc(project.projectId())).append("</span></h3><ul class=\"threads\">");
            for (ThreadView thread : threads.items()) {
                out.append("<li><a href=\"/threads/").append(seg(thread.threadId())).append("\">")
                        .append(esc(thread.title())).append("</a> <span class=\"sub\">").append(esc(thread.threadId()))
                        .append(", ").append(thread.messageCount()).append(" messages, ").append(thread.turnCount())
                        .append(" turns").append(thread.archived() ? ", archived" : "").append("</span></li>");
            }
            out.append("</ul>");
        }
        if (!any) {
            out.append("<p>None.</p>");
        }
        out.append("</section><section aria-labelledby=\"h-chat\"><h2 id=\"h-chat\">Chat conversations</h2>");
        List<ConversationSummary> conversations = db.conversations().list();
        if (conversations.isEmpty()) {
            out.append("<p>None.</p>");
        } else {
            out.append("<ul class=\"threads\">");
            for (ConversationSummary c : conversations) {
                out.append("<li><a href=\"/threads/").append(seg(c.streamId())).append("\">")
                        .append(esc(c.conversationId())).append("</a> <span class=\"sub\">").append(c.messages())
                        .append(" messages, ").append(c.visible()).append(" in the window, last ")
                        .append(time(c.lastActivityAt())).append("</span></li>");
            }
            out.append("</ul>");
        }
        return new Rendered("Threads", "page", out.append("</section>").toString());
    }

    /** An orchestration thread by id, else a chat conversation by its stream id or id. */
    static Rendered thread(Repositories db, String id) {
        Optional<ThreadView> thread = db.projections().thread(id);
        if (thread.isPresent()) {
            ThreadView t = thread.get();
            List<MessageView> messages = db.projections().messages(id, 1000, null).items();
            List<TurnView> turns = db.projections().turns(id);
            StringBuilder out = new StringBuilder("<h1>").append(esc(t.title())).append("</h1><dl class=\"facts\">")
                    .append(fact("Thread", esc(t.threadId()))).append(fact("Project", esc(t.projectId())))
                    .append(fact("Model", esc(t.model()))).append(fact("Branch", esc(t.branch())))
                    .append(fact("Turns", String.valueOf(turns.size()))).append("</dl><ol class=\"transcript\">");
            for (MessageView m : messages) {
                out.append(message(String.valueOf(m.role()), m.text(), m.createdAt(), m.streaming() ? "streaming"
                        : null));
            }
            return new Rendered(t.title(), "page", out.append("</ol>").toString());
        }
        String conversationId = db.conversations().conversationIdOf(id).orElse(id);
        List<HistoryEntry> history = db.conversations().history(conversationId);
        if (history.isEmpty()) {
            throw new NotFoundException("no orchestration thread or chat conversation " + id + "; see /threads");
        }
        StringBuilder out = new StringBuilder("<h1>Conversation ").append(esc(conversationId)).append("</h1>")
                .append("<p class=\"sub\">Messages that left the window are marked evicted.</p>")
                .append("<ol class=\"transcript\">");
        for (HistoryEntry entry : history) {
            out.append(message(entry.message().role(), entry.message().transcriptText(), entry.addedAt(),
                    entry.evictedAt() == null ? null : "evicted"));
        }
        return new Rendered("Conversation " + conversationId, "page", out.append("</ol>").toString());
    }

    private static String message(String role, String text, Instant at, String note) {
        return "<li class=\"msg r-" + esc(role) + "\"><div class=\"who\">" + esc(role) + " " + time(at)
                + (note == null ? "" : " <em>" + note + "</em>") + "</div><div class=\"text\">" + esc(text)
                + "</div></li>";
    }

    // ---------------------------------------------------------------- events

    static Rendered events(Repositories db, Map<String, String> query) {
        StringBuilder out = new StringBuilder("<h1>Live events</h1>");
        List<RecordedEvent> shown = List.of();
        if (query.containsKey("from")) {
            shown = db.events().read(EventQuery.all().limit(EVENTS_SHOWN)).toList();
            out.append("<p>The first ").append(EVENTS_SHOWN).append(" events of the log, then new ones as they come."
                    + " <a href=\"/events\">Only new events</a></p>");
        } else {
            out.append("<p>New events appear here as they are committed. <a href=\"/events?from=start\">Start from "
                    + "the beginning of the log</a></p>");
        }
        String after = shown.isEmpty() ? (query.containsKey("from") ? "" : db.events().lastPosition().toString())
                : shown.get(shown.size() - 1).position().toString();
        out.append("<p id=\"tail-state\" role=\"status\" data-after=\"").append(esc(after)).append("\">connecting…</p>")
                .append(eventTable(shown, true));
        return new Rendered("Events", "tail", out.toString());
    }

    private static String eventTable(List<RecordedEvent> events, boolean live) {
        if (events.isEmpty() && !live) {
            return "<p>None.</p>";
        }
        StringBuilder out = new StringBuilder("<table class=\"list events\"").append(live ? " id=\"events\"" : "")
                .append("><thead><tr><th scope=\"col\">Position</th><th scope=\"col\">Stream</th><th scope=\"col\">"
                        + "Type</th><th scope=\"col\">Recorded</th><th scope=\"col\">Payload</th></tr></thead><tbody>");
        for (RecordedEvent event : events) {
            out.append("<tr><td>").append(esc(event.position())).append("</td><td>").append(esc(event.streamId()))
                    .append(" <span class=\"sub\">v").append(event.streamVersion()).append("</span></td><td>")
                    .append(esc(event.type())).append("</td><td>").append(time(event.recordedAt()))
                    .append("</td><td><code>").append(esc(clip(event.payload(), 160))).append("</code></td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    private static String clip(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
