package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn import omk} as a user runs it: the report, exit codes, --dry-run, --json, and the goals it leaves. */
class ImportCommandTest {
    static final String A = "goal-20260518-091204-417-3f9c2a71";
    static final String B = "goal-20260524-142233-058-b81e0d4c";

    @TempDir
    Path dir;

    String db;

    @BeforeEach
    void migrated() {
        db = dir.resolve("cairn.db").toString();
        assertThat(Cli.run("--db", db, "migrate").exitCode()).isZero();
    }

    @Test
    void importsTheSampleReportsEachGoalAndTheGoalsAnswerLikeNativeOnes() throws Exception {
        Path state = copy("sample", dir.resolve("omk"));
        Cli run = Cli.run("--db", db, "import", "omk", state.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("omk state directory " + state.toRealPath() + ": 2 goals")
                .contains(A + "  imported  6 tasks, 65 events, 1 proof (5 gates), 5 budget checkpoints, 3 decisions, "
                        + "6 cost records, 26 artifacts, 0 leases, 0 controller")
                .contains("  project /Users/dana/src/users-api (from run_started events)")
                .contains("  converted: estimated_cost_usd in budget-checkpoints.jsonl rounded half up to whole cents")
                .contains("--copy-artifacts DIR2")
                .contains("2 imported, 0 unchanged, 0 in conflict, 0 skipped: 118 events in ");

        Cli goal = Cli.run("--db", db, "goal", B, "--events", "100");
        assertThat(goal.exitCode()).as(goal.err()).isZero();
        assertThat(goal.out()).contains("status     not_ready, phase proof")
                .contains("project    /home/dana/src/edge-gateway").contains("goal-agent-implement-0")
                .contains("leases     1").contains("goal.imported").doesNotContain("goal.created")
                .contains("  prd  " + state.toRealPath() + "/goals/" + B + "/prd.md  497 B");
        Cli events = Cli.run("--db", db, "events", "--stream", "goal:" + A, "--json");
        assertThat(events.exitCode()).isZero();
        assertThat(events.out().lines().count()).isEqualTo(1 + 65 + 6);

        Cli again = Cli.run("--db", db, "import", "omk", state.toString());
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains(A + "  unchanged").contains("0 imported, 2 unchanged");
    }

    @Test
    void aBrokenGoalIsOneLineWithItsFileAndLineAndExitsOne() throws Exception {
        Path state = copy("broken/unknown-goal-status", dir.resolve("omk"));
        copy("sample/goals/" + A, state.resolve("goals").resolve(A));
        Cli run = Cli.run("--db", db, "import", "omk", state.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains(B + "  skipped")
                .contains("  goals/" + B + "/goal.json:6: unknown goal status 'in_review', expected one of running, "
                        + "ready, not_ready")
                .contains("1 imported, 0 unchanged, 0 in conflict, 1 skipped");
        assertThat(Cli.run("--db", db, "goal", A).exitCode()).isZero();
        assertThat(Cli.run("--db", db, "goal", B).exitCode()).isEqualTo(3);
    }

    @Test
    void aTruncatedEventLogPointsAtTheOptionThatAcceptsIt() throws Exception {
        Path state = copy("broken/truncated-events-line", dir.resolve("omk"));
        Cli refused = Cli.run("--db", db, "import", "omk", state.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("events.jsonl:53: the last line is cut off")
                .contains("(--accept-truncated imports the complete lines)");
        Cli accepted = Cli.run("--db", db, "import", "omk", "--accept-truncated", state.toString());
        assertThat(accepted.exitCode()).isZero();
        assertThat(accepted.out()).contains(B + "  imported  5 tasks, 52 events");
    }

    @Test
    void aDryRunPrintsTheReportAndWritesNothing() throws Exception {
        Path state = copy("sample", dir.resolve("omk"));
        Cli dry = Cli.run("--db", db, "import", "omk", "--dry-run", state.toString());
        assertThat(dry.exitCode()).isZero();
        assertThat(dry.out()).startsWith("dry run: nothing was written").contains(A + "  would import  6 tasks")
                .contains("2 imported (would be)");
        assertThat(Cli.run("--db", db, "goals").out()).contains("no goals match");
        assertThat(Cli.run("--db", db, "events").out()).isEmpty();
    }

    @Test
    void jsonHasTheReportOfEveryGoal() throws Exception {
        Path state = copy("sample", dir.resolve("omk"));
        Cli run = Cli.run("--db", db, "--json", "import", "omk", state.toString(), "--goal", B, "--copy-artifacts",
                dir.resolve("kept").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("database").asText()).isEqualTo(db);
        assertThat(json.get("stateDir").asText()).isEqualTo(state.toRealPath().toString());
        assertThat(json.get("dryRun").asBoolean()).isFalse();
        assertThat(json.get("goals")).hasSize(1);
        JsonNode goal = json.get("goals").get(0);
        assertThat(goal.get("id").asText()).isEqualTo(B);
        assertThat(goal.get("outcome").asText()).isEqualTo("imported");
        assertThat(goal.get("projectDir").asText()).isEqualTo("/home/dana/src/edge-gateway");
        assertThat(goal.get("projectDirFrom").asText()).isEqualTo("run_started events");
        assertThat(goal.get("records").get("events").asLong()).isEqualTo(53);
        assertThat(goal.get("records").get("leases").asLong()).isEqualTo(2);
        assertThat(goal.get("eventTypes").get("goal.lease-claimed").asLong()).isEqualTo(2);
        assertThat(goal.get("conversions").isArray()).isTrue();
        assertThat(goal.get("problems")).isEmpty();
        assertThat(json.get("warnings")).isEmpty(); // the files were copied
        assertThat(json.get("imported").asInt()).isEqualTo(1);
        assertThat(json.get("events").asLong()).isEqualTo(53);
        assertThat(json.get("millis").isNumber()).isTrue();
        assertThat(dir.resolve("kept").resolve("goals").resolve(B).resolve("prd.md")).isRegularFile();
    }

    @Test
    void conflictsExitFourAndNothingIsOverwritten() throws Exception {
        Path state = copy("sample", dir.resolve("omk"));
        assertThat(Cli.run("--db", db, "import", "omk", state.toString()).exitCode()).isZero();
        Files.writeString(state.resolve("goals").resolve(A).resolve("prd.md"), "changed since");
        Cli run = Cli.run("--db", db, "import", "omk", state.toString());
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.out()).contains(A + "  conflict").contains("was imported into Cairn before")
                .contains("0 imported, 1 unchanged, 1 in conflict");
    }

    @Test
    void aDirectoryThatIsNotOmksIsOneErrorLine() {
        Cli missing = Cli.run("--db", db, "import", "omk", dir.resolve("nowhere").toString());
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err().strip()).startsWith("cairn: the omk state directory").contains("does not exist")
                .doesNotContain("\n");
        Cli usage = Cli.run("--db", db, "import");
        assertThat(usage.exitCode()).isEqualTo(2);
        Cli noStore = Cli.run("--db", dir.resolve("absent.db").toString(), "import", "omk", dir.toString());
        assertThat(noStore.exitCode()).isEqualTo(1);
        assertThat(dir.resolve("absent.db")).doesNotExist();
    }

    static Path copy(String resource, Path target) throws IOException, URISyntaxException {
        Path from = Path.of(ImportCommandTest.class.getResource("/omk-state/" + resource).toURI());
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                    to.toFile().setWritable(true, true);
                }
            }
        }
        return target;
    }
}
