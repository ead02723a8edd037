package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.Cairn;
import dev.cairn.Owner;
import dev.cairn.StaleClaimException;
import dev.cairn.goals.ClaimResult;
import dev.cairn.goals.ControllerClaim;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalSpec;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.GoalStore;
import dev.cairn.goals.SliceLease;
import dev.cairn.goals.TaskClaim;
import dev.cairn.goals.TaskSpec;
import dev.cairn.goals.TaskStatus;
import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.AuditQuery;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repair commands through the CLI, as an operator runs them: each change goes through the library (its rules,
 * transitions and events), asks first on a terminal, can be tried with --dry-run, and is written to the audit log
 * with who ran it. Every refusal (a live controller, an unknown id, an illegal transition, no confirmation) has its
 * exit code and one line, and leaves the store exactly as it was: rows, events and audit log. On SQLite here, on
 * PostgreSQL in {@link PostgresRepairCommandsTest}.
 */
class RepairCommandsTest {
    @TempDir
    Path dir;

    // This process's pid: on SQLite the controller's process is running, so only its heartbeat's age decides.
    final Owner controller = Owner.of("ctl-host");
    final Owner worker = Owner.of("worker-host");

    ControllerClaim control;
    TaskClaim running;
    SliceLease lease;

    /** The store under test; the PostgreSQL variant gives a URL. */
    String location() {
        return dir.resolve("repair.db").toString();
    }

    @BeforeEach
    void aRunningGoalWithAControllerATaskAndALease() {
        try (Cairn db = Cairn.open(location())) {
            GoalStore goals = db.goals();
            goals.create(GoalSpec.of("g", "Repair me", "/p"));
            goals.tasks().createBatch("g", List.of(TaskSpec.of("g", "a", "A"), TaskSpec.of("g", "b", "B"),
                    TaskSpec.of("g", "c", "C")));
            goals.start("g");
            control = goals.claimController("g", controller).orElseThrow();
            running = goals.tasks().claimTask("g", "a", "worker-1", Duration.ofMinutes(5)).orElseThrow();
            goals.tasks().complete(goals.tasks().claimTask("g", "b", "worker-1", Duration.ofMinutes(5))
                    .orElseThrow(), null);
            lease = ((ClaimResult.Claimed) goals.leases().tryClaim("g", "s1", worker, "worker", List.of("src")))
                    .lease();
            // A goal named like a subcommand: ids are the callers' choice.
            goals.create(GoalSpec.of("pause", "A goal called pause", "/p"));
        }
    }

    Cli cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--db", location()));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
    }

    /** Runs the CLI with a person answering {@code answer} to every question; the questions end up in err. */
    Cli answering(String answer, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--db", location()));
        all.addAll(List.of(args));
        int code = CairnCommand.run(new Terminal.Prompt() {
            @Override
            public boolean available() {
                return true;
            }

            @Override
            public String ask(String question) {
                err.write("asked: " + question + "\n");
                return answer;
            }
        }, new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Cli(code, out.toString(), err.toString());
    }

    /** Everything a repair could change: goals, tasks, leases, decisions, the goals' streams and the audit log. */
    String state() {
        try (Cairn db = Cairn.open(location())) {
            StringBuilder state = new StringBuilder();
            for (String id : List.of("g", "pause")) {
                // The stream's version, not a read of the whole log: on PostgreSQL that trails the oldest writing
                // transaction of the server, which another test run may hold open for a moment.
                state.append(db.goals().get(id)).append('\n').append(db.goals().tasks().byGoal(id)).append('\n')
                        .append(db.goals().decisions().byGoal(id)).append('\n')
                        .append(db.events().streamVersion(Goal.streamId(id))).append('\n');
            }
            state.append(db.goals().leases().active()).append('\n');
            state.append(db.runs().auditLog(AuditQuery.all()).stream().map(AuditEntry::message).toList());
            return state.toString();
        }
    }

    Goal goal(String id) {
        try (Cairn db = Cairn.open(location())) {
            return db.goals().get(id);
        }
    }

    List<AuditEntry> audit() {
        try (Cairn db = Cairn.open(location())) {
            return db.runs().auditLog(AuditQuery.all());
        }
    }

    /** The refusal: its exit code, one line naming what, and nothing changed. */
    void refused(int exitCode, String message, String... args) {
        String before = state();
        Cli cli = cli(args);
        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(exitCode);
        assertThat(cli.err()).startsWith("cairn: ").contains(message);
        assertThat(cli.err().strip()).doesNotContain("\n");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void pauseResumeAndCancelGoThroughTheTransitionsAndTheAuditLog() {
        Cli pause = cli("goal", "pause", "g", "--yes", "--reason", "deploy freeze");
        assertThat(pause.exitCode()).as(pause.err()).isZero();
        assertThat(pause.out()).contains("goal g paused: running → paused");
        assertThat(goal("g").status()).isEqualTo(GoalStatus.PAUSED);
        AuditEntry entry = audit().get(audit().size() - 1);
        assertThat(entry.event()).isEqualTo("cli.goal.pause");
        assertThat(entry.scope()).isEqualTo("operator");
        assertThat(entry.data().get("user").asText()).isEqualTo(System.getProperty("user.name"));
        assertThat(entry.data().get("host").asText()).isEqualTo(Owner.current().host());
        assertThat(entry.data().get("reason").asText()).isEqualTo("deploy freeze");
        assertThat(entry.data().get("command").asText()).isEqualTo("cairn goal pause");

        refused(4, "goal g: cannot pause (move from paused to paused)", "goal", "pause", "g", "--yes");
        Cli resume = cli("goal", "resume", "g", "--yes", "--json");
        assertThat(resume.exitCode()).as(resume.err()).isZero();
        JsonNode json = resume.json();
        assertThat(json.get("database").asText()).isNotEmpty();
        assertThat(json.get("command").asText()).isEqualTo("goal resume");
        assertThat(json.get("dryRun").asBoolean()).isFalse();
        assertThat(json.get("from").asText()).isEqualTo("paused");
        assertThat(json.get("to").asText()).isEqualTo("not_ready");
        assertThat(json.get("auditId").asLong()).isEqualTo(audit().get(audit().size() - 1).id());
        assertThat(json.get("by").get("user").asText()).isEqualTo(System.getProperty("user.name"));
        refused(4, "resume applies only to a goal that is paused", "goal", "resume", "g", "--yes");

        assertThat(cli("goal", "cancel", "g", "--yes", "--reason", "superseded by g2").exitCode()).isZero();
        Goal cancelled = goal("g");
        assertThat(cancelled.status()).isEqualTo(GoalStatus.CANCELLED);
        assertThat(cancelled.failure()).contains("superseded by g2");
        refused(4, "from cancelled it can move to nothing, it is final", "goal", "cancel", "g", "--yes");
        refused(4, "from cancelled it can move to nothing", "goal", "pause", "g", "--yes");
        for (String command : List.of("pause", "resume", "cancel", "release-controller")) {
            refused(3, "goal ghost does not exist", "goal", command, "ghost", "--yes");
        }
    }

    @Test
    void withoutYesItAsksOnATerminalAndRefusesElsewhere() {
        refused(2, "there is no terminal to confirm on: add --yes", "goal", "pause", "g");
        String before = state();
        Cli declined = answering("n", "goal", "pause", "g");
        assertThat(declined.exitCode()).isEqualTo(1);
        assertThat(declined.err()).contains("asked: goal g will be paused: running → paused (version ")
                .contains("Proceed? [y/N]").contains("not confirmed; nothing was changed");
        assertThat(answering("", "goal", "pause", "g").exitCode()).isEqualTo(1);
        assertThat(answering(null, "goal", "pause", "g").exitCode()).isEqualTo(1);
        assertThat(state()).isEqualTo(before);
        // Asking shows a refusal without asking anything.
        Cli illegal = answering("y", "goal", "resume", "g");
        assertThat(illegal.exitCode()).isEqualTo(4);
        assertThat(illegal.err()).doesNotContain("asked:");
        assertThat(state()).isEqualTo(before);

        Cli confirmed = answering("y", "goal", "pause", "g");
        assertThat(confirmed.exitCode()).as(confirmed.err()).isZero();
        assertThat(goal("g").status()).isEqualTo(GoalStatus.PAUSED);
    }

    @Test
    void aDryRunShowsTheChangeAndMakesNone() {
        String before = state();
        Cli dry = cli("goal", "cancel", "g", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("goal g would be cancelled: running → cancelled")
                .contains("dry run: nothing was changed");
        assertThat(dry.err()).isEmpty();
        Cli json = cli("task", "reset", "g", "a", "--dry-run", "--json");
        assertThat(json.json().get("dryRun").asBoolean()).isTrue();
        assertThat(json.json().get("to").asText()).isEqualTo("pending");
        assertThat(json.json().get("auditId").isNull()).isTrue();
        assertThat(cli("lease", "release", String.valueOf(lease.id()), "--dry-run").out())
                .contains("lease " + lease.id() + " would be released");
        assertThat(state()).isEqualTo(before);
        // A dry run is refused exactly as the real change would be.
        refused(4, "resume applies only to a goal that is paused", "goal", "resume", "g", "--dry-run");
    }

    @Test
    void aLiveControllerIsReleasedOnlyByForceAndTheForceIsADecision() throws InterruptedException {
        refused(4, "goal g is controlled by " + controller.id() + " (host ctl-host, pid "
                + ProcessHandle.current().pid() + "), alive", "goal", "release-controller", "g", "--yes");
        assertThat(cli("goal", "release-controller", "g", "--yes").err())
                .contains("--force releases it anyway, recorded as a decision");

        Cli forced = cli("goal", "release-controller", "g", "--yes", "--force", "--reason", "wedged");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("the controller of goal g released: " + controller.id())
                .contains("forced, recorded as a decision");
        assertThat(goal("g").controller()).isNull();
        try (Cairn db = Cairn.open(location())) {
            assertThat(db.goals().decisions().byGoal("g")).singleElement().satisfies(d -> {
                assertThat(d.actor()).isEqualTo(System.getProperty("user.name") + "@" + Owner.current().host());
                assertThat(d.rationale()).isEqualTo("wedged");
            });
            assertThatThrownBy(() -> db.goals().heartbeat(control)).isInstanceOf(StaleClaimException.class);
        }
        AuditEntry entry = audit().get(audit().size() - 1);
        assertThat(entry.level().storedName()).isEqualTo("warn");
        assertThat(entry.data().get("forced").asBoolean()).isTrue();
        refused(4, "goal g has no controller", "goal", "release-controller", "g", "--yes");
    }

    @Test
    void aGoneControllerIsReleasedAndOrphansSayHow() throws InterruptedException {
        Thread.sleep(20);
        // Its heartbeat is older than a 10 ms window: gone. The orphan list says how to hand it back.
        Cli orphans = cli("goals", "--orphaned", "--stale-after", "10ms");
        assertThat(orphans.out()).contains("HAND BACK WITH").contains("cairn --db ")
                .contains(" goal release-controller g --stale-after 10ms");
        JsonNode orphan = cli("goals", "--orphaned", "--stale-after", "10ms", "--json").json().get("orphaned")
                .get(0);
        assertThat(orphan.get("handBack").asText()).endsWith("goal release-controller g --stale-after 10ms");

        Cli released = cli("goal", "release-controller", "g", "--stale-after", "10ms", "--yes", "--json");
        assertThat(released.exitCode()).as(released.err()).isZero();
        assertThat(released.json().get("controller").get("id").asText()).isEqualTo(controller.id());
        assertThat(released.json().get("forced").asBoolean()).isFalse();
        assertThat(goal("g").controller()).isNull();
        assertThat(goal("g").status()).isEqualTo(GoalStatus.RUNNING);
        try (Cairn db = Cairn.open(location())) {
            assertThat(db.goals().decisions().byGoal("g")).isEmpty();
            assertThat(db.goals().claimController("g", Owner.of("new-host"))).isPresent();
        }
        assertThat(audit().get(audit().size() - 1).event()).isEqualTo("cli.goal.release-controller");
    }

    @Test
    void aTaskResetVoidsItsClaimAndKeepsItsRetries() {
        Cli reset = cli("task", "reset", "g", "a", "--yes");
        assertThat(reset.exitCode()).as(reset.err()).isZero();
        assertThat(reset.out()).contains("task a of goal g reset: running → pending, taken from worker-1");
        try (Cairn db = Cairn.open(location())) {
            assertThat(db.goals().tasks().get("g", "a").status()).isEqualTo(TaskStatus.PENDING);
            assertThatThrownBy(() -> db.goals().tasks().complete(running, null))
                    .isInstanceOf(StaleClaimException.class);
            String reason = db.events().readStream(Goal.streamId("g"), 0).filter(e -> e.type()
                    .equals("goal.task-reset")).findFirst().orElseThrow().payloadTree().get("reason").asText();
            assertThat(reason).contains("cairn task reset g a").contains(System.getProperty("user.name"));
        }
        refused(4, "task b of goal g is done, not running or failed", "task", "reset", "g", "b", "--yes");
        refused(4, "task c of goal g is pending, not running or failed", "task", "reset", "g", "c", "--yes");
        refused(3, "zz", "task", "reset", "g", "zz", "--yes");
        refused(3, "ghost", "task", "reset", "ghost", "a", "--yes");
        refused(2, "", "task", "reset", "g", "--yes");
    }

    @Test
    void aLeaseIsReleasedByIdAndStaleOnesExpire() throws InterruptedException {
        Cli release = cli("lease", "release", String.valueOf(lease.id()), "--yes");
        assertThat(release.exitCode()).as(release.err()).isZero();
        assertThat(release.out()).contains("lease " + lease.id() + " released: slice s1 of goal g, held by "
                + worker.id());
        refused(4, "lease " + lease.id() + " of " + worker.id() + " on slice s1 of goal g is no longer active",
                "lease", "release", String.valueOf(lease.id()), "--yes");
        refused(3, "lease 424242 does not exist", "lease", "release", "424242", "--yes");
        refused(2, "'s1'", "lease", "release", "s1", "--yes");

        SliceLease second;
        try (Cairn db = Cairn.open(location())) {
            second = ((ClaimResult.Claimed) db.goals().leases().tryClaim("g", "s2", worker, "worker",
                    List.of("docs"))).lease();
        }
        Cli none = cli("leases", "expire-stale", "--yes");
        assertThat(none.out()).contains("0 stale leases expired: none has a heartbeat older than 30s");
        Thread.sleep(20);
        String before = state();
        assertThat(cli("leases", "expire-stale", "--older-than", "10ms", "--dry-run").out())
                .contains("1 stale lease would be expired: " + second.id() + " (slice s2 of goal g");
        assertThat(state()).isEqualTo(before);
        Cli expired = cli("leases", "expire-stale", "--older-than", "10ms", "--yes", "--json");
        assertThat(expired.exitCode()).as(expired.err()).isZero();
        assertThat(expired.json().get("expired")).singleElement()
                .satisfies(l -> assertThat(l.get("id").asLong()).isEqualTo(second.id()));
        try (Cairn db = Cairn.open(location())) {
            assertThat(db.goals().leases().active()).isEmpty();
        }
        refused(2, "--older-than", "leases", "expire-stale", "--older-than", "soon", "--yes");
    }

    @Test
    void subcommandsWinAndShowReachesAnyGoal() {
        Cli show = cli("goal", "show", "pause");
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("goal       pause").contains("A goal called pause");
        assertThat(cli("goal", "g").out()).contains("goal       g  (version");
        refused(2, "Missing required parameter", "goal", "pause");
        Cli paused = cli("goal", "pause", "pause", "--yes");
        assertThat(paused.exitCode()).as(paused.err()).isZero();
        assertThat(goal("pause").status()).isEqualTo(GoalStatus.PAUSED);
        assertThat(goal("g").status()).isEqualTo(GoalStatus.RUNNING);
        refused(2, "Missing required parameter: 'ID'", "goal");
    }
}
