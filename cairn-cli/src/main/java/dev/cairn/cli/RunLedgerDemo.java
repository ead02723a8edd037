package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.AuditQuery;
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
        LedgerViews.printRun(out, run, db.runs().steps(runId), db.runs().auditLog(AuditQuery.all().forRun(runId)),
                db.sharedNow());
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
}
