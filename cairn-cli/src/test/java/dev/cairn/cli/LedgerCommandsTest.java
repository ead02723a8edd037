package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.Cairn;
import dev.cairn.Owner;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.RunScope;
import dev.cairn.runs.Redactor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The run-ledger commands as a user runs them: exit codes, one-line errors, and the shapes of --json. */
class LedgerCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Path db;
    String goodRun;
    String badRun;

    record Result(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeEach
    void recordTwoRuns() {
        db = dir.resolve("cli.db");
        try (Cairn cairn = Cairn.open(db)) {
            try (RunScope run = cairn.runs().begin(List.of("ok"), Map.of("model", "m"))) {
                goodRun = run.id();
                run.step("plan", step -> step.stat("tasks", 2));
            }
            try (RunScope run = cairn.runs().begin(List.of("bad"), Map.of("model", "m"))) {
                badRun = run.id();
                try {
                    run.step("fetch", step -> {
                        throw new IllegalStateException("upstream 503");
                    });
                } catch (IllegalStateException expected) {
                    // recorded failed
                }
            }
            cairn.runs().audit(AuditLevel.WARN, "scheduler", "quota.low", "quota at 80%", null);
        }
    }

    Result cairn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--db", db.toString()));
        all.addAll(List.of(args));
        CommandLine line = CairnCommand.configure(CairnCommand.commandLine(new CairnCommand()), false);
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void runsListsNewestFirst() throws Exception {
        Result text = cairn("runs");
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains(goodRun, badRun, "success", "failed");

        Result json = cairn("runs", "--json", "--limit", "1");
        assertThat(json.code()).isZero();
        JsonNode runs = json.json().get("runs");
        assertThat(runs).hasSize(1);
        JsonNode run = runs.get(0);
        assertThat(run.get("id").asText()).isEqualTo(badRun);
        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("stepCount").asInt()).isEqualTo(1);
        assertThat(run.get("configHash").asText()).hasSize(64);
        assertThat(run.get("args").get(0).asText()).isEqualTo("bad");
        assertThat(run.has("createdAt") && run.has("finishedAt") && run.has("durationMs") && run.has("gitSha"))
                .isTrue();
    }

    @Test
    void anUnfinishedRunShowsItsOwnerAndHeartbeat() throws Exception {
        String open;
        try (Cairn cairn = Cairn.open(db)) {
            RunScope run = cairn.runs().begin(List.of("long"), null);
            open = run.id();
            run.step("still going"); // left running: a process that stopped here leaves the run like this
        }
        Result text = cairn("runs");
        assertThat(text.out()).contains("OWNER", "HEARTBEAT", Owner.current().id()).containsPattern("[0-9.]+ m?s ago");
        JsonNode run = cairn("runs", "--json", "--limit", "1").json().get("runs").get(0);
        assertThat(run.get("id").asText()).isEqualTo(open);
        assertThat(run.get("owner").get("id").asText()).isEqualTo(Owner.current().id());
        assertThat(run.get("owner").get("host").asText()).isEqualTo(Owner.current().host());
        assertThat(run.get("owner").get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(run.get("heartbeatAgeMs").asLong()).isNotNegative();
        assertThat(cairn("run", open).out()).contains("owner      " + Owner.current().id() + " (host "
                + Owner.current().host() + ", pid " + ProcessHandle.current().pid() + "), last heartbeat ");
    }

    @Test
    void runShowsTheTimelineAndAudit() throws Exception {
        Result text = cairn("run", badRun);
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("fetch", "failed", "upstream 503", "step.failed", "run.finished");

        JsonNode run = cairn("run", goodRun, "--json").json();
        assertThat(run.get("status").asText()).isEqualTo("success");
        assertThat(run.get("config").get("model").asText()).isEqualTo("m");
        JsonNode step = run.get("steps").get(0);
        assertThat(step.get("name").asText()).isEqualTo("plan");
        assertThat(step.get("status").asText()).isEqualTo("success");
        assertThat(step.get("position").asInt()).isEqualTo(1);
        assertThat(step.get("durationMs").isNumber()).isTrue();
        assertThat(step.get("offsetMs").isNumber()).isTrue();
        assertThat(step.get("stats").get("tasks").asInt()).isEqualTo(2);
        assertThat(run.get("audit")).extracting(e -> e.get("event").asText()).containsExactly("run.created",
                "step.started", "step.finished", "run.finished");
    }

    @Test
    void anUnknownRunExitsNotFoundWithOneLine() {
        Result result = cairn("run", "no-such-run");
        assertThat(result.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.err().strip()).startsWith("cairn: ").contains("no-such-run").doesNotContain("\n");
        assertThat(cairn("audit", "--run", "no-such-run").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void auditFilters() throws Exception {
        JsonNode errors = cairn("audit", "--level", "error", "--json").json().get("entries");
        assertThat(errors).extracting(e -> e.get("event").asText()).containsExactly("step.failed");
        assertThat(errors.get(0).get("runId").asText()).isEqualTo(badRun);
        assertThat(errors.get(0).get("data").get("error").asText()).isEqualTo("upstream 503");

        JsonNode warnings = cairn("audit", "--level", "warn", "--event", "quota.*", "--since", "2000-01-01",
                "--json").json().get("entries");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).get("runId").isNull()).isTrue();
        assertThat(warnings.get(0).get("level").asText()).isEqualTo("warn");

        assertThat(cairn("audit", "--since", "1h", "--run", goodRun, "--json").json().get("entries")).hasSize(4);
        assertThat(cairn("audit").out()).contains("quota.low", "[run " + goodRun + "]");
    }

    @Test
    void badArgumentsExitUsageNamingTheValue() {
        Result since = cairn("audit", "--since", "yesterday");
        assertThat(since.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(since.err()).contains("'yesterday'");
        Result level = cairn("audit", "--level", "loud");
        assertThat(level.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(level.err()).contains("'loud'");
        Result age = cairn("prune", "--audit-older-than", "90x");
        assertThat(age.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(age.err()).contains("'90x'");
        assertThat(cairn("prune").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(cairn("runs", "--limit", "0").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void pruneReportsAndADryRunDeletesNothing() throws Exception {
        JsonNode dry = cairn("prune", "--audit-older-than", "90d", "--runs-older-than", "180d", "--dry-run",
                "--json").json();
        assertThat(dry.get("dryRun").asBoolean()).isTrue();
        assertThat(dry.get("auditEntries").asLong()).isZero();
        assertThat(dry.get("runs").asLong()).isZero();
        assertThat(dry.get("steps").asLong()).isZero();
        assertThat(dry.get("auditCutoff").asText()).isNotEmpty();
        assertThat(dry.get("runsCutoff").asText()).isNotEmpty();

        Result real = cairn("prune", "--runs-older-than", "180d");
        assertThat(real.code()).isZero();
        assertThat(real.out()).startsWith("deleted 0 audit entries and 0 runs with 0 steps");
        assertThat(cairn("runs", "--json").json().get("runs")).hasSize(2);
    }

    @Test
    void aMissingDatabaseIsNotInitializedNotACrash() throws Exception {
        db = dir.resolve("missing.db");
        Result result = cairn("runs", "--json");
        assertThat(result.code()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(result.json().get("initialized").asBoolean()).isFalse();
        assertThat(cairn("audit").code()).isEqualTo(ExitCodes.PROBLEMS);
    }

    /** Secrets in free text are hidden in what the commands print (text and JSON), and their names are shown. */
    @Test
    void noSecretReachesTheOperatorsScreen() throws Exception {
        List<String> secrets = List.of("cliFlagToken1", "cliApiKey22", "cli quoted pw", "cliJsonPw", "cliBearer",
                "cliOneStringArgs", "cliSkipSecret");
        String runId;
        try (Cairn cairn = Cairn.open(db)) {
            try (RunScope run = cairn.runs().begin("deploy --token " + secrets.get(5) + " --x 1",
                    Map.of("note", "{\"password\": \"" + secrets.get(3) + "\"}"))) {
                runId = run.id();
                run.audit(AuditLevel.INFO, "call.made", "calling with --token " + secrets.get(0) + " --api-key "
                        + secrets.get(1), Map.of("header", "Authorization: Bearer " + secrets.get(4)));
                try (var step = run.step("login")) {
                    step.fail("refused: password='" + secrets.get(2) + "'");
                }
                try (var step = run.step("notify")) {
                    step.skip("no hook; password: \"" + secrets.get(6) + "\"");
                }
            }
        }
        List<Result> shown = List.of(cairn("audit"), cairn("audit", "--json"), cairn("run", runId),
                cairn("run", runId, "--json"), cairn("runs"), cairn("runs", "--json"));
        String all = String.join("\n", shown.stream().map(r -> r.out() + r.err()).toList());
        assertThat(all).as("the commands printed the entries").contains("call.made", "login");
        assertThat(all).contains("--token " + Redactor.REDACTED, "--api-key " + Redactor.REDACTED,
                "password='" + Redactor.REDACTED + "'", "Bearer " + Redactor.REDACTED);
        for (String secret : secrets) {
            assertThat(all.contains(secret)).as("the output shows the secret %s", secret).isFalse();
        }
    }
}
