package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.Cairn;
import dev.cairn.goals.GoalSpec;
import dev.cairn.runs.Cost;
import dev.cairn.runs.RunScope;
import dev.cairn.runs.RunStart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable runs through the CLI: {@code run ID} shows results and recorded calls, {@code runs --status running} shows a
 * run whose owner is gone as resumable, and an exported run imported into a fresh store (SQLite and PostgreSQL) shows
 * the same {@code run ID --json}.
 */
class RunArchiveCommandsTest {
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @TempDir
    Path dir;

    /** A durable run for a goal: a typed step, a step with a recorded call and its cost, finished. */
    static String recordRun(String location) {
        try (Cairn db = Cairn.open(location)) {
            db.goals().create(GoalSpec.of("g-archive", "archive a run", "/work"));
            try (RunScope run = db.runs().beginOrResume(RunStart.of("archive-job", List.of("go"), Map.of("m", 1))
                    .forGoal("g-archive"))) {
                run.step("plan", Map.class, step -> Map.of("parts", List.of("a", "b"), "big", 9_007_199_254_740_993L));
                run.step("ask", String.class, step -> step.call("model", Map.of("prompt", "hi", "password", "hunter2"),
                        String.class, () -> "x".repeat(300), response -> new Cost(42, 1)));
                return run.id();
            }
        }
    }

    /** {@code run ID --json} without what differs between two stores by nature: the path, the age, audit ids. */
    static JsonNode comparable(Cli shown) {
        ObjectNode json = (ObjectNode) shown.json();
        json.remove("database");
        json.remove("heartbeatAgeMs");
        json.get("audit").forEach(entry -> ((ObjectNode) entry).remove("id"));
        return json;
    }

    void exportAndImportShowTheSameRun(String from, String to) throws Exception {
        String runId = recordRun(from);
        Cli shown = Cli.run("--db", from, "run", runId, "--json");
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.json().get("key").asText()).isEqualTo("archive-job");
        assertThat(shown.json().get("calls").get(0).get("response").asText()).hasSize(300);
        assertThat(shown.json().get("calls").get(0).get("request").toString()).doesNotContain("hunter2");
        assertThat(shown.json().get("steps").get(0).get("result").get("big").asLong()).isEqualTo(9_007_199_254_740_993L);

        Path file = dir.resolve("run.cairn-run.json");
        Cli export = Cli.run("--db", from, "run", "export", runId, "--out", file.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(Files.readString(file)).contains("\"format\":\"cairn.run-archive\"", "goal.created");

        assertThat(Cli.run("--db", to, "migrate").exitCode()).isZero(); // a fresh store, as an operator makes one
        Cli imported = Cli.run("--db", to, "run", "import", file.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        Cli again = Cli.run("--db", to, "run", "import", file.toString());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(again.err().strip()).contains(runId).doesNotContain("\n\tat ");

        Cli there = Cli.run("--db", to, "run", runId, "--json");
        assertThat(there.exitCode()).as(there.err()).isZero();
        assertThat(comparable(there)).isEqualTo(comparable(shown));
    }

    @Test
    void anExportedRunImportsIntoAFreshSqliteStoreAndShowsTheSame() throws Exception {
        exportAndImportShowTheSameRun(dir.resolve("from.db").toString(), dir.resolve("to.db").toString());
    }

    @Test
    void anExportedRunImportsIntoAFreshPostgresStoreAndShowsTheSame() throws Exception {
        String from = "cairn_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String to = from + "_to";
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + from);
            s.execute("CREATE SCHEMA " + to);
        }
        try {
            exportAndImportShowTheSameRun(SERVER + "&currentSchema=" + from, SERVER + "&currentSchema=" + to);
        } finally {
            try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + from + " CASCADE");
                s.execute("DROP SCHEMA " + to + " CASCADE");
            }
        }
    }

    @Test
    void runShowsResultsAndCallsAndRunsShowsARunWhoseOwnerIsGoneAsResumable() throws Exception {
        String location = dir.resolve("cli.db").toString();
        String runId = recordRun(location);
        Cli text = Cli.run("--db", location, "run", runId);
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("key        archive-job", "goal       g-archive", "calls", "model",
                "42 tokens, 1 cents", "= {\"big\":9007199254740993").doesNotContain("x".repeat(300));

        String left;
        try (Cairn db = Cairn.open(location)) {
            RunScope run = db.runs().beginOrResume(RunStart.of("left-job", null, null)
                    .staleAfter(java.time.Duration.ZERO));
            run.step("one", Integer.class, step -> 1);
            left = run.id(); // never closed: this "process" goes silent
        }
        Thread.sleep(50);
        // Held by this live process: running, not resumable (the default stale window is 30 s).
        Cli running = Cli.run("--db", location, "runs", "--status", "running", "--json");
        assertThat(running.exitCode()).as(running.err()).isZero();
        assertThat(running.json().get("runs")).hasSize(1);
        assertThat(running.json().get("runs").get(0).get("id").asText()).isEqualTo(left);
        assertThat(running.json().get("runs").get(0).get("resumable").asBoolean()).isFalse();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + location);
                Statement s = c.createStatement()) {
            s.execute("UPDATE runs SET owner_pid = -1, heartbeat_at = heartbeat_at - 60000 WHERE run_id = '" + left
                    + "'");
        }
        Cli gone = Cli.run("--db", location, "runs", "--status", "running");
        assertThat(gone.exitCode()).as(gone.err()).isZero();
        assertThat(gone.out()).contains(left, "resumable").doesNotContain(runId);
        Cli bad = Cli.run("--db", location, "runs", "--status", "sleeping");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        Cli noId = Cli.run("--db", location, "run");
        assertThat(noId.exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
