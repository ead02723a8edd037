package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.AuditQuery;
import dev.cairn.runs.Cost;
import dev.cairn.runs.ReplayReport;
import dev.cairn.runs.RunStart;
import dev.cairn.runs.RunStatus;
import dev.cairn.runs.StepScope;
import dev.cairn.runs.ConfigHash;
import dev.cairn.runs.Retention;
import dev.cairn.runs.Run;
import dev.cairn.runs.RunScope;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The run ledger's part of {@code cairn demo}: the demo records itself as a run, then shows what was recorded. */
final class RunLedgerDemo {
    private RunLedgerDemo() {}

    /** The demo's configuration, with a fake key in it to show that it never reaches the file. */
    private static Map<String, Object> config() {
        Map<String, Object> llm = new LinkedHashMap<>();
        llm.put("model", "demo-model-1");
        llm.put("max_tokens", 4096);
        llm.put("api_key", "sk-demo-0000000000000000000000");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("llm", llm);
        config.put("retries", 3);
        return config;
    }

    /** Begins the run that wraps the demo's own sections. */
    static RunScope begin(Cairn db) {
        return db.runs().begin(List.of("cairn", "demo", "--token", "demo-token-not-real"), config());
    }

    /** Shows the finished demo run as {@code cairn run} would, and what the ledger did with the secrets. */
    static void show(Cairn db, String runId, PrintWriter out) {
        Run run = db.runs().get(runId);
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("retries", 3);
        reordered.put("llm", Map.of("api_key", "sk-demo-0000000000000000000000", "max_tokens", 4096,
                "model", "demo-model-1"));
        db.runs().audit(runId, AuditLevel.INFO, "demo", "demo.note", "called the model with Bearer "
                + "demo0000000000000000 (redacted before writing)", Map.of("authorization", "Bearer x"));

        out.println();
        out.println("== run ledger: this demo recorded itself as run " + runId);
        LedgerViews.printRun(out, run, db.runs().steps(runId), db.runs().calls(runId),
                db.runs().auditLog(AuditQuery.all().forRun(runId)), db.sharedNow());
        out.println();
        out.println("stored args    " + run.args() + "  (the --token value was redacted)");
        out.println("stored config  " + run.config() + "  (so was the api_key)");
        out.println("config hash    " + run.configHash() + "  SHA-256 of the RFC 8785 canonical form;");
        out.println("               the same config with its keys in another order hashes "
                + (ConfigHash.of(reordered).equals(run.configHash()) ? "the same" : "DIFFERENTLY (a bug)"));
        var wouldPrune = db.runs().prune(Retention.keepEverything().auditOlderThan(Duration.ofDays(90))
                .runsOlderThan(Duration.ofDays(180)).asDryRun());
        out.println("prune dry run  would delete " + wouldPrune.auditEntries() + " audit entries and "
                + wouldPrune.runs() + " runs: nothing here is older than 90 days");
    }

    /** The demo agent's plan: a step result is stored as JSON and read back as this type on resume. */
    record Plan(String task, List<String> files) {}

    /**
     * A durable run that "crashes" half way (its scope is dropped with a step in flight, as a killed process would
     * leave it) and is resumed under its key: finished steps answer from the record without running, the recorded
     * model call is not made again, and the step in flight runs again. Returns the run's id.
     */
    static String durable(Cairn db, String goalId, PrintWriter out) {
        int[] modelCalls = {0};
        out.println();
        out.println("== durable run: begun under key demo-fix-ci for goal " + goalId + ", crashed, resumed");
        RunScope first = db.runs().beginOrResume(RunStart.of("demo-fix-ci", List.of("fix", "ci"), config())
                .forGoal(goalId));
        durableAgent(first, modelCalls, out);
        StepScope inFlight = first.step("summarise"); // the process "dies" here: the step never ends
        out.println("  crash: step " + inFlight.name() + " was in flight; the run stays running, its owner silent");

        try (RunScope resumed = db.runs().beginOrResume(RunStart.of("demo-fix-ci", null, null).forGoal(goalId))) {
            out.println("  resumed run " + resumed.id() + " under the same key");
            durableAgent(resumed, modelCalls, out);
            String summary = resumed.step("summarise", String.class, step -> "fixed the flaky test in "
                    + step.call("model", Map.of("prompt", "which file?"), String.class, () -> {
                        modelCalls[0]++;
                        return "CiTest.java";
                    }));
            out.println("  summarise ran again (it was in flight): " + summary);
        }
        String runId = db.runs().recent(1, RunStatus.SUCCESS).get(0).id();
        out.println("  model calls made: " + modelCalls[0] + " (each recorded call was made once; on resume they were answered from "
                + "the record)");
        ReplayReport replay = db.runs().replay(runId, run -> {
            durableAgent(run, new int[1], new PrintWriter(java.io.OutputStream.nullOutputStream()));
            run.step("summarise", String.class, step -> step.call("model", Map.of("prompt", "which file?"),
                    String.class, () -> {
                        throw new IllegalStateException("a replay never calls out");
                    }));
        });
        out.println("  replay of the same code: " + (replay.matches() ? "matches the record" : replay.divergence()
                .orElseThrow().describe()) + " (" + replay.steps() + " steps, " + replay.calls() + " calls answered "
                + "from the record, nothing touched)");
        out.println();
        LedgerViews.printRun(out, db.runs().get(runId), db.runs().steps(runId), db.runs().calls(runId),
                db.runs().auditLog(AuditQuery.all().forRun(runId)), db.sharedNow());
        return runId;
    }

    private static void durableAgent(RunScope run, int[] modelCalls, PrintWriter out) {
        Plan plan = run.step("plan", Plan.class, step -> {
            out.println("  plan: its body runs");
            return new Plan("fix the flaky CI test", List.of("CiTest.java"));
        });
        String answer = run.step("ask model", String.class, step -> {
            out.println("  ask model: its body runs");
            return step.call("model", Map.of("prompt", plan.task(), "api_key", "sk-demo-0000000000000000000000"),
                    String.class, () -> {
                        modelCalls[0]++;
                        return "retry the network call in " + plan.files().get(0);
                    }, response -> new Cost(1200, 4));
        });
        out.println("  " + run.id().substring(0, 8) + "...: plan " + plan.files() + ", model said: " + answer);
    }
}
