package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.Cairn;
import dev.cairn.Owner;
import dev.cairn.goals.ClaimResult;
import dev.cairn.goals.GateResult;
import dev.cairn.goals.GoalSpec;
import dev.cairn.goals.GoalStore;
import dev.cairn.goals.ProofSpec;
import dev.cairn.goals.TaskSpec;
import dev.cairn.goals.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goal commands as a user runs them: exit codes, one-line errors, and the shapes of --json. */
class GoalCommandsTest {
    @TempDir
    Path dir;

    /** Owners on other hosts, as a fleet's would be. */
    static final Owner WORKER = new Owner("worker-host:4242:5f3c9a1e", "worker-host", 4242);
    static final Owner CONTROLLER = new Owner("ctl-host:77:0b1d2e3f", "ctl-host", 77);

    String db;
    long leaseId;

    @BeforeEach
    void twoGoals() {
        db = dir.resolve("goals.db").toString();
        try (Cairn cairn = Cairn.open(db)) {
            GoalStore goals = cairn.goals();
            goals.create(GoalSpec.of("g-done", "A finished goal", "/p"));
            goals.create(GoalSpec.of("g-live", "A goal nobody controls", "/p"));
            goals.tasks().createBatch("g-live", List.of(TaskSpec.of("g-live", "a", "First"),
                    TaskSpec.of("g-live", "b", "Second").withDependsOn("a"),
                    TaskSpec.of("g-live", "c", "Third").withDependsOn("a", "b")));
            goals.tasks().updateStatus("g-live", "a", TaskStatus.DONE);
            goals.tasks().claimTask("g-live", "worker-1", Duration.ofMinutes(5));
            goals.proofs().upsert("g-live", ProofSpec.of("pending", null, "waiting",
                    List.of(GateResult.passed("build", "make", "ok"),
                            GateResult.failed("test", "make test", "2 red"))));
            goals.artifacts().register("g-live", "log", "logs/a.log", "text/plain", 10L, null);
            leaseId = ((ClaimResult.Claimed) goals.leases().tryClaim("g-live", "s1", WORKER, "worker",
                    List.of("src"))).lease().id();
            goals.start("g-live");
            goals.start("g-done");
            goals.deliver("g-done", true);
        }
    }

    @Test
    void goalsListsNewestFirstWithFiltersAndJson() {
        Cli text = Cli.run("--db", db, "goals");
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("g-live").contains("g-done").contains("1/3");
        Cli json = Cli.run("--db", db, "goals", "--json", "--status", "running");
        assertThat(json.exitCode()).isZero();
        JsonNode goals = json.json().get("goals");
        assertThat(goals).hasSize(1);
        JsonNode live = goals.get(0);
        assertThat(live.get("id").asText()).isEqualTo("g-live");
        assertThat(live.get("status").asText()).isEqualTo("running");
        assertThat(live.get("tasks").get("done").asInt()).isEqualTo(1);
        assertThat(live.get("tasks").get("running").asInt()).isEqualTo(1);
        assertThat(live.fieldNames()).toIterable().contains("phase", "createdAt", "budget", "cursor", "controller",
                "heartbeatAt", "heartbeatAgeMs");
        assertThat(live.get("controller").isNull()).isTrue();
        assertThat(json.json().has("next")).isTrue();
        Cli page = Cli.run("--db", db, "goals", "--json", "--limit", "1");
        String next = page.json().get("next").asText();
        Cli second = Cli.run("--db", db, "goals", "--json", "--limit", "1", "--after", next);
        assertThat(second.json().get("goals").get(0).get("id").asText())
                .isNotEqualTo(page.json().get("goals").get(0).get("id").asText());
        assertThat(Cli.run("--db", db, "goals", "--phase", "proof").out()).contains("no goals match");
    }

    @Test
    void badArgumentsExitTwoWithOneLine() {
        Cli status = Cli.run("--db", db, "goals", "--status", "bogus");
        assertThat(status.exitCode()).isEqualTo(2);
        assertThat(status.err().strip()).startsWith("cairn: 'bogus' is not a goal status").doesNotContain("\n");
        assertThat(Cli.run("--db", db, "goals", "--limit", "0").exitCode()).isEqualTo(2);
        assertThat(Cli.run("--db", db, "goals", "--after", "garbage!").exitCode()).isEqualTo(2);
    }

    @Test
    void aMissingDatabaseIsNotInitialized() {
        String missing = dir.resolve("absent.db").toString();
        for (String[] args : List.of(new String[] {"goals"}, new String[] {"goal", "x"}, new String[] {"leases"})) {
            Cli cli = Cli.run(concat(new String[] {"--db", missing, "--json"}, args));
            assertThat(cli.exitCode()).isEqualTo(1);
            assertThat(cli.json().get("initialized").asBoolean()).isFalse();
        }
        assertThat(Path.of(missing)).doesNotExist();
    }

    @Test
    void goalShowsTheGraphProofArtifactsLeasesAndEvents() {
        Cli text = Cli.run("--db", db, "goal", "g-live");
        assertThat(text.exitCode()).isZero();
        assertThat(text.out())
                .contains("task graph (3 tasks: 1 done, 1 pending, 1 running)")
                .contains("✔ a [done] First")
                .contains("├─ ▶ b [running, worker-1] Second")
                .contains("│  └─ · c [pending] Third  (needs a, b)")
                .contains("└─ c (shown above)")
                .contains("1/2 gates passed")
                .contains("logs/a.log")
                .contains("s1")
                .contains("goal.status-changed");
        Cli json = Cli.run("--db", db, "goal", "g-live", "--json");
        JsonNode goal = json.json();
        assertThat(goal.get("id").asText()).isEqualTo("g-live");
        assertThat(goal.get("tasks")).extracting(t -> t.get("id").asText()).containsExactly("a", "b", "c");
        assertThat(goal.get("proof").get("gatesPassed").asInt()).isEqualTo(1);
        assertThat(goal.get("proof").get("gatesTotal").asInt()).isEqualTo(2);
        assertThat(goal.get("artifacts").get(0).get("path").asText()).isEqualTo("logs/a.log");
        assertThat(goal.get("leases").get(0).get("id").asLong()).isEqualTo(leaseId);
        assertThat(goal.get("events").get(0).get("type").asText()).startsWith("goal.");
        assertThat(goal.get("events").size()).isEqualTo(8); // all of them: fewer than the 10 shown by default
        // The same names as everywhere: the store first, events as 'cairn events' prints them, ISO-8601 instants.
        assertThat(goal.get("database").asText()).isEqualTo(db);
        assertThat(goal.get("events").get(0).fieldNames()).toIterable().contains("sequence", "streamVersion")
                .doesNotContain("version");
        assertThat(goal.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        Cli missing = Cli.run("--db", db, "goal", "nope");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err().strip()).isEqualTo("cairn: goal nope does not exist; list goals with 'cairn goals'");
    }

    @Test
    void deleteRemovesTheGoalAndItsStream() {
        Cli deleted = Cli.run("--db", db, "goal", "g-live", "--delete", "--json");
        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.json().get("deleted").asText()).isEqualTo("g-live");
        assertThat(Cli.run("--db", db, "goal", "g-live").exitCode()).isEqualTo(3);
        assertThat(Cli.run("--db", db, "goal", "g-live", "--delete").exitCode()).isEqualTo(3);
        assertThat(Cli.run("--db", db, "leases", "--json").json().get("leases")).isEmpty();
        try (Cairn cairn = Cairn.open(db)) {
            assertThat(cairn.events().streamVersion("goal:g-live")).isEqualTo(-1);
            assertThat(cairn.events().streamVersion("goal:g-done")).isPositive();
        }
    }

    @Test
    void orphanedListsRunningGoalsWithoutALiveController() throws Exception {
        Cli text = Cli.run("--db", db, "goals", "--orphaned");
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("g-live").doesNotContain("g-done");
        Cli json = Cli.run("--db", db, "goals", "--orphaned", "--json");
        assertThat(json.json().get("orphaned")).extracting(g -> g.get("id").asText()).containsExactly("g-live");
        try (Cairn cairn = Cairn.open(db)) {
            cairn.goals().claimController("g-live", CONTROLLER).orElseThrow();
        }
        assertThat(Cli.run("--db", db, "goals", "--orphaned", "--json").json().get("orphaned")).isEmpty();
        Cli list = Cli.run("--db", db, "goals");
        assertThat(list.out()).contains("CONTROLLER").contains(CONTROLLER.id()).containsPattern("[0-9.]+ m?s ago");
        Thread.sleep(20);
        // Its heartbeat is older than a 10 ms stale window: orphaned, showing who held it and how long ago.
        Cli stale = Cli.run("--db", db, "goals", "--orphaned", "--stale-after", "10ms");
        assertThat(stale.out()).contains("g-live").contains(CONTROLLER.id()).contains("ctl-host").contains("77")
                .contains(" ago");
        JsonNode orphan = Cli.run("--db", db, "goals", "--orphaned", "--stale-after", "10ms", "--json").json()
                .get("orphaned").get(0);
        assertThat(orphan.get("controller").get("id").asText()).isEqualTo(CONTROLLER.id());
        assertThat(orphan.get("controller").get("host").asText()).isEqualTo("ctl-host");
        assertThat(orphan.get("controller").get("pid").asLong()).isEqualTo(77);
        assertThat(orphan.get("heartbeatAgeMs").asLong()).isGreaterThanOrEqualTo(10);
        assertThat(Cli.run("--db", db, "goal", "g-live").out()).contains("controller " + CONTROLLER.id()
                + " (host ctl-host, pid 77), last heartbeat ");
        assertThat(Cli.run("--db", db, "goals", "--orphaned", "--stale-after", "soon").exitCode()).isEqualTo(2);
    }

    @Test
    void leasesListsActiveLeasesOfOneGoalOrAll() {
        Cli all = Cli.run("--db", db, "leases");
        assertThat(all.exitCode()).isZero();
        assertThat(all.out()).contains("g-live").contains("s1").contains(WORKER.id()).contains("worker-host")
                .contains("4242").contains("src").contains(" ago");
        JsonNode json = Cli.run("--db", db, "leases", "--goal", "g-live", "--json").json();
        JsonNode lease = json.get("leases").get(0);
        assertThat(lease.fieldNames()).toIterable().containsExactly("id", "goalId", "sliceId", "owner",
                "ownerRole", "writeSet", "claimedAt", "heartbeatAt", "heartbeatAgeMs");
        assertThat(lease.get("owner").fieldNames()).toIterable().containsExactly("id", "host", "pid");
        assertThat(lease.get("owner").get("id").asText()).isEqualTo(WORKER.id());
        assertThat(lease.get("heartbeatAgeMs").asLong()).isNotNegative();
        assertThat(Cli.run("--db", db, "leases", "--goal", "g-done", "--json").json().get("leases")).isEmpty();
        assertThat(Cli.run("--db", db, "leases", "--goal", "ghost").exitCode()).isEqualTo(3);
    }

    @Test
    void theDemoDeliversAGoalEndToEnd() {
        String demo = dir.resolve("demo.db").toString();
        Cli run = Cli.run("--db", demo, "demo");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("worker-1:").contains("worker-2:").contains("goal delivered: ready")
                .contains("3/3 gates passed");
        JsonNode goal = Cli.run("--db", demo, "goal", "g-webhook-retries", "--json").json();
        assertThat(goal.get("status").asText()).isEqualTo("ready");
        assertThat(goal.get("tasks")).allMatch(t -> t.get("status").asText().equals("done"));
        assertThat(goal.get("leases")).isEmpty();
        assertThat(goal.get("controller").isNull()).isTrue();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
