package dev.cairn.imports.omk;

import static dev.cairn.imports.omk.OmkFixtures.A;
import static dev.cairn.imports.omk.OmkFixtures.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.Cairn;
import dev.cairn.Owner;
import dev.cairn.NotFoundException;
import dev.cairn.events.EventQuery;
import dev.cairn.events.RecordedEvent;
import dev.cairn.goals.Artifact;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.ClaimResult;
import dev.cairn.goals.Decision;
import dev.cairn.goals.DeliveryPolicy;
import dev.cairn.goals.GateResult;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalSpec;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.GoalStore;
import dev.cairn.goals.MergePolicy;
import dev.cairn.goals.Proof;
import dev.cairn.goals.SliceLease;
import dev.cairn.goals.Task;
import dev.cairn.goals.TaskClaim;
import dev.cairn.goals.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports the sample of the omk format reference and checks, field by field, that Cairn holds what each file holds;
 * each broken variant's documented error; idempotence and conflicts; dry runs; copies of the artifacts; omk.db's
 * controllers and leases under Cairn's ownership rules. On SQLite here, on PostgreSQL in {@link PostgresOmkImportTest}.
 */
class OmkImportTest {
    @TempDir
    Path dir;

    Cairn db;
    GoalStore goals;

    /** Where the store under test lives; the PostgreSQL variant overrides it. */
    String location() {
        return dir.resolve("cairn.db").toString();
    }

    @BeforeEach
    void open() {
        db = Cairn.open(location());
        goals = db.goals();
    }

    @AfterEach
    void close() {
        db.close();
    }

    OmkImportReport importing(Path state) {
        return db.importOmk(OmkImportOptions.of(state));
    }

    static OmkGoalReport goalReport(OmkImportReport report, String id) {
        return report.goals().stream().filter(g -> g.goalId().equals(id)).findFirst().orElseThrow();
    }

    static Instant t(String text) {
        return Instant.parse(text);
    }

    @Test
    void theSampleImportsWithEveryFieldOfGoalA() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        OmkImportReport report = importing(state);
        assertThat(report.goals()).extracting(OmkGoalReport::outcome).containsOnly(OmkGoalReport.Outcome.IMPORTED)
                .hasSize(2);
        assertThat(report.complete()).isTrue();
        assertThat(report.stateDir()).isEqualTo(state.toRealPath().toString());

        // goal.json
        Goal a = goals.get(A);
        assertThat(a.originalText()).isEqualTo("Fix the off-by-one error in /users pagination and add a regression "
                + "test");
        assertThat(a.normalizedText()).isEqualTo(a.originalText());
        assertThat(a.status()).isEqualTo(GoalStatus.READY);
        assertThat(a.phase()).isEqualTo(GoalPhase.PROOF);
        assertThat(a.kind()).isEqualTo("bugfix"); // the proof's oracle evidence
        assertThat(a.projectDir()).isEqualTo("/Users/dana/src/users-api");
        assertThat(goalReport(report, A).projectDirFrom()).isEqualTo(OmkGoalReport.ProjectDirSource.RUN_STARTED_EVENTS);
        assertThat(a.createdAt()).isEqualTo(t("2026-05-18T09:12:04.417Z"));
        assertThat(a.updatedAt()).isEqualTo(t("2026-05-18T09:33:36.841Z"));
        assertThat(a.completedAt()).isEqualTo(t("2026-05-18T09:33:36.841Z"));
        assertThat(a.deliveryPolicy()).isEqualTo(DeliveryPolicy.LOCAL);
        assertThat(a.mergePolicy()).isEqualTo(MergePolicy.DISABLED);
        assertThat(a.untilReady()).isFalse();
        assertThat(a.sliceExecution()).isFalse();
        assertThat(a.maxAgents()).isEqualTo(1);
        assertThat(a.budget().timeSeconds()).isEqualTo(4 * 3600L);
        assertThat(a.budget().tokens()).isNull();
        assertThat(a.budget().money().cents()).isEqualTo(1000);
        assertThat(json(a.terminalCriteria())).isEqualTo(json("{\"proof_required\":true,\"gates_required\":true,"
                + "\"human_blockers_stop\":true}"));
        assertThat(a.failure()).isNull();
        assertThat(a.controller()).isNull();
        assertThat(a.version()).isEqualTo(1);

        // task-graph.json
        List<Task> tasks = goals.tasks().byGoal(A);
        assertThat(tasks).extracting(Task::id).containsExactly("goal-intake", "goal-plan", "goal-local-verify",
                "goal-agent-execute", "goal-review", "goal-security-review");
        assertThat(tasks).extracting(Task::status).containsOnly(TaskStatus.DONE);
        Task execute = tasks.get(3);
        assertThat(execute.dependsOn()).containsExactly("goal-local-verify");
        assertThat(execute.owner()).isEqualTo("executor");
        assertThat(execute.title()).isNotBlank();
        assertThat(execute.description()).isNotBlank();
        assertThat(execute.acceptance()).isNotEmpty();
        assertThat(execute.retryCount()).isZero();
        assertThat(execute.maxRetries()).isZero();
        assertThat(execute.leaseExpiresAt()).isNull();
        assertThat(execute.completedAt()).isNotNull();
        Task intake = tasks.get(0);
        assertThat(intake.readSet()).containsExactly("goal.json");
        assertThat(intake.writeSet()).containsExactly("prd.md");
        assertThat(intake.risk()).isEqualTo("low");
        assertThat(intake.evidence()).hasSize(1);
        assertThat(json(intake.evidence().get(0)).get("path").asText()).isEqualTo("prd.md");
        assertThat(json(intake.evidence().get(0)).get("kind").asText()).isEqualTo("artifact");

        // proof.json
        Proof proof = goals.proofs().get(A).orElseThrow();
        assertThat(proof.status()).isEqualTo("ready");
        assertThat(proof.readiness()).startsWith("ready");
        assertThat(proof.gates()).extracting(GateResult::name).containsExactly("format", "lint", "tests",
                "regression", "bench");
        assertThat(proof.gates()).allMatch(GateResult::passed);
        assertThat(proof.gates().get(0).command()).isEqualTo("cargo fmt --all -- --check");
        assertThat(proof.postMutationGatesRan()).isTrue();
        assertThat(proof.knownGaps()).isEmpty();
        assertThat(proof.version()).isEqualTo(1);
        JsonNode details = json(proof.details());
        assertThat(details.get("review_artifacts")).hasSize(6);
        assertThat(details.get("integration_evidence").get("status").asText()).isEqualTo("accepted");
        assertThat(details.get("oracle_evidence").get("kind").asText()).isEqualTo("bugfix");
        assertThat(details.get("gates").get(0).get("duration_ms").asLong()).isEqualTo(1184);
        assertThat(details.get("generated_at").asText()).isEqualTo(fileJson(state, A, "proof.json")
                .get("generated_at").asText());

        // budget-checkpoints.jsonl: USD to cents half up from the decimal text
        List<BudgetCheckpoint> checkpoints = goals.budgets().byGoal(A);
        assertThat(checkpoints).extracting(BudgetCheckpoint::label).containsExactly("goal_created",
                "verify_completed", "execute_completed", "review_completed", "integration_decision");
        BudgetCheckpoint executed = checkpoints.get(2);
        assertThat(executed.spent().cents()).isEqualTo(54); // 0.538646 dollars
        assertThat(executed.tokensUsed()).isEqualTo(234838);
        assertThat(executed.budget().money().cents()).isEqualTo(1000);
        assertThat(executed.budget().timeSeconds()).isEqualTo(14400);
        assertThat(goalReport(report, A).conversions()).anyMatch(c -> c.contains("estimated_cost_usd")
                && c.contains("0.538646 -> 54 cents"));

        // decisions.jsonl
        List<Decision> decisions = goals.decisions().byGoal(A);
        assertThat(decisions).extracting(Decision::kind).containsExactly("planning_boundary", "task_graph_shape",
                "execution_boundary");
        assertThat(decisions.get(0).actor()).isEqualTo("goal-controller");
        assertThat(decisions.get(0).phase()).isEqualTo(GoalPhase.PLANNING);
        assertThat(decisions.get(0).artifacts()).containsExactly("prd.md", "technical-plan.md", "test-spec.md");
        assertThat(decisions.get(0).createdAt()).isEqualTo(t("2026-05-18T09:12:04.426Z"));

        // artifacts: where omk keeps them, confined to the state directory, with size and checksum
        List<Artifact> artifacts = goals.artifacts().byGoal(A);
        String base = state.toRealPath().toString();
        assertThat(artifacts).allMatch(x -> x.baseDir().equals(base));
        assertThat(artifacts).allMatch(x -> x.path().startsWith("goals/" + A + "/"));
        assertThat(artifacts.subList(0, 10)).extracting(Artifact::kind).containsExactly("prd", "technical_plan",
                "task_graph", "test_spec", "proof", "decisions", "agent_run", "review", "security_review",
                "integration_acceptance");
        assertThat(artifacts).extracting(Artifact::path).contains("goals/" + A + "/artifacts/gates/post-mutation/"
                + "gate-05-bench.log", "goals/" + A + "/artifacts/agent-runs/goal-agent-execute/mutation.diff");
        for (Artifact artifact : artifacts) {
            Path file = state.resolve(artifact.path());
            if (Files.isRegularFile(file)) {
                assertThat(artifact.sha256()).isEqualTo(sha256(file));
                assertThat(artifact.sizeBytes()).isEqualTo(Files.size(file));
            } else {
                assertThat(file).isDirectory(); // the agent run goal.json lists by its directory
                assertThat(artifact.sha256()).isNull();
            }
        }
        long files;
        try (var walk = Files.walk(state.resolve("goals").resolve(A))) {
            files = walk.filter(Files::isRegularFile).count();
        }
        // every file but goal.json, events.jsonl, budget-checkpoints.jsonl and cost.jsonl, whose content became rows
        // and events; plus the agent-run directory goal.json lists
        assertThat(artifacts).hasSize((int) files - 4 + 1);
        assertThat(goalReport(report, A).count("artifacts")).isEqualTo(artifacts.size());
    }

    @Test
    void theSampleImportsWithEveryFieldOfGoalB() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        OmkImportReport report = importing(state);
        OmkGoalReport r = goalReport(report, B);
        Goal b = goals.get(B);
        assertThat(b.status()).isEqualTo(GoalStatus.NOT_READY);
        assertThat(b.phase()).isEqualTo(GoalPhase.PROOF);
        assertThat(b.kind()).isEqualTo("general");
        assertThat(b.projectDir()).isEqualTo("/home/dana/src/edge-gateway");
        assertThat(b.createdAt()).isEqualTo(t("2026-05-24T14:22:33.058Z"));
        // omk set completed_at when verification finished; the goal is not done, so Cairn has no completion time
        assertThat(b.completedAt()).isNull();
        assertThat(r.conversions()).anyMatch(c -> c.startsWith("completed_at on a not_ready goal"));
        assertThat(b.deliveryPolicy()).isEqualTo(DeliveryPolicy.DRAFT_PR); // draft-pr in goal.json
        assertThat(b.mergePolicy()).isEqualTo(MergePolicy.MANUAL);
        assertThat(b.sliceExecution()).isTrue();
        assertThat(b.maxAgents()).isEqualTo(1);
        assertThat(b.budget().timeSeconds()).isEqualTo(6 * 3600L);
        assertThat(b.budget().tokens()).isEqualTo(1_500_000L);
        assertThat(b.budget().money().cents()).isEqualTo(1250);

        List<Task> tasks = goals.tasks().byGoal(B);
        assertThat(tasks).extracting(Task::status).containsExactly(TaskStatus.DONE, TaskStatus.DONE, TaskStatus.DONE,
                TaskStatus.PENDING, TaskStatus.PENDING);
        assertThat(tasks.get(3).dependsOn()).containsExactly("goal-local-verify");
        assertThat(tasks.get(4).dependsOn()).containsExactly("goal-local-verify");
        assertThat(tasks.get(2).dependsOn()).containsExactly("goal-plan");
        assertThat(tasks.get(1).dependsOn()).containsExactly("goal-intake");
        assertThat(tasks.get(3).owner()).isNull(); // pending: nobody claimed it in Cairn
        assertThat(tasks.get(3).writeSet()).containsExactly("src/add_tokenbucket_rate_limiting_to_the_http_api/");

        // exactly 3 checkpoints, the last rounded half up from 0.150912 dollars
        List<BudgetCheckpoint> checkpoints = goals.budgets().byGoal(B);
        assertThat(checkpoints).extracting(BudgetCheckpoint::label).containsExactly("goal_created", "verify_completed",
                "verify_completed");
        assertThat(checkpoints.get(2).spent().cents()).isEqualTo(15);
        assertThat(checkpoints.get(2).tokensUsed()).isEqualTo(61872);
        assertThat(checkpoints.get(2).elapsedSeconds()).isEqualTo(1710);
        assertThat(checkpoints.get(2).budget().tokens()).isEqualTo(1_500_000L);
        assertThat(goals.decisions().byGoal(B)).hasSize(2);

        // the proof's delivery metadata names lease #1 (it was written before the re-claim)
        Proof proof = goals.proofs().get(B).orElseThrow();
        assertThat(proof.status()).isEqualTo("not_ready");
        assertThat(proof.gates()).hasSize(4);
        assertThat(json(proof.details()).get("delivery_metadata").get(0).get("slice_lease_id").asText())
                .endsWith("c40ab404-51f9-4ce9-a514-d9614057ece2");
        assertThat(json(proof.details()).get("git").get("dirty").asBoolean()).isTrue();

        // leases from the lease events: #1 expired (expired_at_unix), #2 still held by the killed run's successor
        JsonNode imported = first(B).payloadTree();
        List<SliceLease> active = goals.leases().active(B);
        assertThat(active).hasSize(1);
        SliceLease held = active.get(0);
        assertThat(held.sliceId()).isEqualTo("goal-agent-implement-0");
        assertThat(held.owner().pid()).isEqualTo(50377);
        assertThat(held.ownerRole()).isEqualTo("executor");
        assertThat(held.writeSet()).containsExactly("src/add_tokenbucket_rate_limiting_to_the_http_api");
        assertThat(held.claimedAt()).isEqualTo(t("2026-05-24T14:51:03.543Z"));
        assertThat(imported.get("leases")).hasSize(2);
        long firstLease = imported.get("leases").get(0).get("id").asLong();
        SliceLease expired = goals.leases().get(firstLease).orElseThrow();
        assertThat(expired.owner().pid()).isEqualTo(48211);
        assertThat(expired.expiredAt()).isEqualTo(Instant.ofEpochSecond(1779634263));
        assertThat(imported.get("leases").get(0).get("omkId").asText()).endsWith("c40ab404-51f9-4ce9-a514-"
                + "d9614057ece2");
        assertThat(r.count("leases")).isEqualTo(2);
        assertThat(r.count("controllers")).isZero(); // no omk.db: omk kept controllers nowhere else

        // the far-future deadlines of task_claimed, read as the unix time they carry
        assertThat(r.conversions()).anyMatch(c -> c.contains("lease_deadline about 56 years after"));
        List<RecordedEvent> claims = db.events().read(EventQuery.all().stream(Goal.streamId(B))
                .types("goal.task-claimed")).toList();
        assertThat(claims).hasSize(2);
        JsonNode claim = claims.get(0).payloadTree();
        assertThat(claim.get("leaseExpiresAt").asText()).isEqualTo("2026-05-24T14:32:15Z");
        assertThat(claim.get("omk").get("lease_deadline").asText()).isEqualTo("2082-10-15T04:59:30.368423118Z");
        assertThat(claim.get("task").asText()).isEqualTo("goal-agent-implement-0");
        assertThat(claim.get("owner").asText()).isEqualTo("goal-agent-worker-0");
    }

    @Test
    void eventsKeepTheirOrderIdsTimesAndPayloadsOnTheGoalsStream() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        OmkImportReport report = importing(state);
        for (String id : List.of(A, B)) {
            List<String> lines = Files.readAllLines(state.resolve("goals").resolve(id).resolve("events.jsonl"));
            List<RecordedEvent> stream = db.events().readStream(Goal.streamId(id), 0).toList();
            int costs = fileJson(state, id, "cost.jsonl").size();
            // one goal.imported first, then omk's events in the file's order, then the cost records; nothing else
            assertThat(stream).hasSize(1 + lines.size() + costs);
            assertThat(stream.get(0).type()).isEqualTo("goal.imported");
            assertThat(goalReport(report, id).count("events")).isEqualTo(lines.size());
            assertThat(goalReport(report, id).count("costRecords")).isEqualTo(costs);
            for (int i = 0; i < lines.size(); i++) {
                JsonNode omk = json(lines.get(i));
                RecordedEvent e = stream.get(i + 1);
                assertThat(e.eventId().toString()).isEqualTo(omk.get("id").asText());
                assertThat(e.occurredAt()).isEqualTo(Instant.parse(omk.get("ts").asText()).truncatedTo(
                        java.time.temporal.ChronoUnit.MILLIS));
                assertThat(e.metadata().extra()).containsEntry("omk.ts", omk.get("ts").asText())
                        .containsEntry("omk.kind", omk.get("kind").asText());
                assertThat(e.metadata().correlationId()).isEqualTo(omk.get("run_id").asText());
                JsonNode payload = e.payloadTree();
                JsonNode original = omk.has("payload") ? omk.get("payload") : json("{}");
                if (e.type().startsWith("omk.")) {
                    assertThat(e.type()).isEqualTo("omk." + omk.get("kind").asText());
                    assertThat(payload).isEqualTo(original);
                } else {
                    assertThat(e.type()).startsWith("goal.");
                    assertThat(payload.get("omk")).isEqualTo(original);
                }
            }
            for (int i = 0; i < costs; i++) {
                RecordedEvent cost = stream.get(1 + lines.size() + i);
                assertThat(cost.type()).isEqualTo("omk.session-cost");
                assertThat(cost.payloadTree()).isEqualTo(fileJson(state, id, "cost.jsonl").get(i));
            }
        }
        // the mapped kinds
        assertThat(goalReport(report, A).eventTypes()).containsEntry("goal.task-completed", 9L)
                .containsEntry("goal.budget-checkpoint", 5L).containsEntry("goal.task-claimed", 2L)
                .containsEntry("omk.run_started", 2L).containsEntry("omk.gate_passed", 10L)
                .containsEntry("omk.run_completed", 1L);
        assertThat(goalReport(report, B).eventTypes()).containsEntry("goal.lease-claimed", 2L)
                .containsEntry("goal.lease-expired", 1L).containsEntry("goal.budget-checkpoint", 3L);
        // run_completed has no payload in omk: an empty object, and the metadata says so
        RecordedEvent completed = db.events().read(EventQuery.all().stream(Goal.streamId(A))
                .types("omk.run_completed")).findFirst().orElseThrow();
        assertThat(completed.payloadTree().isEmpty()).isTrue();
        assertThat(completed.metadata().extra()).containsEntry("omk.payload", "absent");
        // the whole log replays, every imported event in sequence order
        List<RecordedEvent> all = db.events().replayAll().toList();
        assertThat(all).hasSize((int) (db.events().streamVersion(Goal.streamId(A))
                + db.events().streamVersion(Goal.streamId(B)) + 2));
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).sequence()).isGreaterThan(all.get(i - 1).sequence());
        }
    }

    @Test
    void theGoalImportedEventKeepsWhatCairnHasNoColumnFor() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        importing(state);
        JsonNode imported = first(B).payloadTree();
        assertThat(imported.get("source").asText()).isEqualTo("omk");
        assertThat(imported.get("stateDir").asText()).isEqualTo(state.toRealPath().toString());
        assertThat(imported.get("goal")).isEqualTo(fileJson(state, B, "goal.json"));
        assertThat(imported.get("goal").get("created_at").asText()).isEqualTo("2026-05-24T14:22:33.058114297Z");
        assertThat(imported.get("projectDir").get("from").asText()).isEqualTo("run_started events");
        JsonNode implement = imported.get("taskGraph").get("tasks").get("goal-agent-implement-0");
        assertThat(implement.get("owner_role").asText()).isEqualTo("executor");
        assertThat(implement.get("delivery").get("slice_lease_id").asText()).endsWith("a63d4d9b30b6");
        assertThat(imported.get("records").get("events").asLong()).isEqualTo(53);
        assertThat(imported.get("digest").asText()).hasSize(64);
        // money in goal.json stays the decimal omk wrote
        assertThat(imported.get("goal").get("budget_usd").decimalValue()).isEqualByComparingTo("12.5");
    }

    @Test
    void keysOmkDoesNotWriteAreReportedAndKeptWhereThereIsRoom() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        Path goalDir = state.resolve("goals").resolve(B);
        Files.writeString(goalDir.resolve("goal.json"), Files.readString(goalDir.resolve("goal.json"))
                .replace("\"version\": 1,", "\"version\": 1,\n  \"priority\": \"high\","));
        Path decisions = goalDir.resolve("decisions.jsonl");
        Files.writeString(decisions, Files.readString(decisions).replaceFirst("\"version\":1,",
                "\"version\":1,\"reviewer\":\"dana\","));
        Path events = goalDir.resolve("events.jsonl");
        Files.writeString(events, Files.readString(events).replaceFirst("\"schema_version\":1,",
                "\"schema_version\":1,\"host\":\"build-7\","));
        OmkGoalReport b = goalReport(importing(state), B);
        assertThat(b.conversions()).anyMatch(c -> c.startsWith("goal.json key 'priority' is not one omk writes: kept"))
                .anyMatch(c -> c.startsWith("decisions.jsonl key 'reviewer' is not one omk writes: ignored"));
        assertThat(first(B).payloadTree().get("goal").get("priority").asText()).isEqualTo("high");
        RecordedEvent started = db.events().readStream(Goal.streamId(B), 1).findFirst().orElseThrow();
        assertThat(started.metadata().extra()).containsEntry("omk.key.host", "\"build-7\"");
    }

    @Test
    void anOmkDbThatCannotBeReadIsAWarningAndTheFilesAreImported() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        Files.writeString(state.resolve("omk.db"), "this is not a SQLite database, but it is where omk.db belongs");
        OmkImportReport report = importing(state);
        assertThat(report.warnings()).anyMatch(w -> w.startsWith("omk.db could not be read"));
        assertThat(report.goals()).extracting(OmkGoalReport::outcome).containsOnly(OmkGoalReport.Outcome.IMPORTED);
        assertThat(goals.leases().active(B)).hasSize(1); // from the lease events
    }

    @Test
    void importingTheSameDirectoryAgainChangesNothingAndSaysSo() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        importing(state);
        long sequence = db.events().lastPosition().sequence();
        List<Artifact> artifacts = goals.artifacts().byGoal(A);
        OmkImportReport again = importing(state);
        assertThat(again.goals()).extracting(OmkGoalReport::outcome).containsOnly(OmkGoalReport.Outcome.UNCHANGED)
                .hasSize(2);
        assertThat(again.complete()).isTrue();
        assertThat(again.eventsImported()).isZero();
        assertThat(db.events().lastPosition().sequence()).isEqualTo(sequence);
        assertThat(goals.artifacts().byGoal(A)).isEqualTo(artifacts);
        assertThat(goals.list(dev.cairn.goals.GoalFilter.all())).hasSize(2);
    }

    @Test
    void aGoalCairnHoldsWithOtherContentIsAConflictAndLeftAsItIs() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        importing(state);
        long sequence = db.events().lastPosition().sequence();
        // omk went on writing after the import: the files differ from what was imported
        Files.writeString(state.resolve("goals").resolve(B).resolve("decisions.jsonl"), Files.readString(
                state.resolve("goals").resolve(A).resolve("decisions.jsonl")).replace(A, B), StandardOpenOption.APPEND);
        OmkImportReport report = importing(state);
        assertThat(goalReport(report, A).outcome()).isEqualTo(OmkGoalReport.Outcome.UNCHANGED);
        OmkGoalReport conflict = goalReport(report, B);
        assertThat(conflict.outcome()).isEqualTo(OmkGoalReport.Outcome.CONFLICT);
        assertThat(conflict.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(OmkImportProblem.Kind.CONFLICT);
            assertThat(p.message()).contains("imported into Cairn before").contains("left as it is");
        });
        assertThat(report.complete()).isFalse();
        assertThat(goals.decisions().byGoal(B)).hasSize(2);
        assertThat(db.events().lastPosition().sequence()).isEqualTo(sequence);

        // a goal made in Cairn under the same id is never overwritten
        goals.delete(A);
        goals.create(GoalSpec.of(A, "a native goal", "/srv"));
        OmkGoalReport nativeGoal = goalReport(importing(state), A);
        assertThat(nativeGoal.outcome()).isEqualTo(OmkGoalReport.Outcome.CONFLICT);
        assertThat(nativeGoal.problems().get(0).message()).contains("not imported from omk");
        assertThat(goals.get(A).originalText()).isEqualTo("a native goal");
    }

    @Test
    void anUnknownGoalStatusIsReportedWithItsLineAndTheOtherGoalsAreImported() {
        OmkImportReport report = importing(OmkFixtures.broken("unknown-goal-status", dir.resolve("omk")));
        assertThat(goalReport(report, A).outcome()).isEqualTo(OmkGoalReport.Outcome.IMPORTED);
        OmkGoalReport broken = goalReport(report, B);
        assertThat(broken.outcome()).isEqualTo(OmkGoalReport.Outcome.SKIPPED);
        OmkImportProblem problem = broken.problems().get(0);
        assertThat(problem.kind()).isEqualTo(OmkImportProblem.Kind.BROKEN);
        assertThat(problem.file()).isEqualTo("goals/" + B + "/goal.json");
        assertThat(problem.line()).isEqualTo(6L);
        assertThat(problem.message()).contains("unknown goal status 'in_review'").contains("expected one of running, "
                + "ready, not_ready");
        assertThat(goals.find(B)).isEmpty();
        assertThat(goals.find(A)).isPresent();
        assertThat(report.complete()).isFalse();
    }

    @Test
    void aDependencyOnAMissingTaskIsReportedWithItsLine() {
        OmkImportReport report = importing(OmkFixtures.broken("unknown-task-dependency", dir.resolve("omk")));
        assertThat(goalReport(report, A).outcome()).isEqualTo(OmkGoalReport.Outcome.IMPORTED);
        OmkImportProblem problem = goalReport(report, B).problems().get(0);
        assertThat(problem.file()).isEqualTo("goals/" + B + "/task-graph.json");
        assertThat(problem.line()).isEqualTo(165L);
        assertThat(problem.message()).isEqualTo("task goal-agent-implement-1 depends on missing task "
                + "goal-agent-implement-2");
        assertThat(goals.find(B)).isEmpty();
        assertThat(db.events().streamVersion(Goal.streamId(B))).isEqualTo(-1);
    }

    @Test
    void aTruncatedLastEventLineIsReportedAndImportedWithoutItWhenAccepted() {
        Path state = OmkFixtures.broken("truncated-events-line", dir.resolve("omk"));
        OmkImportReport refused = importing(state);
        assertThat(goalReport(refused, A).outcome()).isEqualTo(OmkGoalReport.Outcome.IMPORTED);
        OmkImportProblem problem = goalReport(refused, B).problems().get(0);
        assertThat(problem.kind()).isEqualTo(OmkImportProblem.Kind.TRUNCATED);
        assertThat(problem.file()).isEqualTo("goals/" + B + "/events.jsonl");
        assertThat(problem.line()).isEqualTo(53L);
        assertThat(problem.message()).contains("last line is cut off").contains("52 lines before it are complete");
        assertThat(goals.find(B)).isEmpty();

        OmkImportReport accepted = db.importOmk(OmkImportOptions.of(state).withAcceptTruncated(true));
        OmkGoalReport b = goalReport(accepted, B);
        assertThat(b.outcome()).isEqualTo(OmkGoalReport.Outcome.IMPORTED);
        assertThat(b.count("events")).isEqualTo(52);
        assertThat(b.conversions()).anyMatch(c -> c.contains("line 53") && c.contains("cut off"));
        assertThat(db.events().readStream(Goal.streamId(B), 0).filter(e -> e.metadata().extra()
                .containsKey("omk.kind")).count()).isEqualTo(52);
        assertThat(goalReport(accepted, A).outcome()).isEqualTo(OmkGoalReport.Outcome.UNCHANGED);
    }

    @Test
    void aGoalIsOneTransactionAFailureWhileWritingLeavesNothingOfIt() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        // The same event twice: the file reads fine, the log's unique event id refuses it half way through the write.
        Path events = state.resolve("goals").resolve(A).resolve("events.jsonl");
        List<String> lines = Files.readAllLines(events);
        lines.add(lines.get(40));
        Files.write(events, lines);
        OmkImportReport report = importing(state);
        OmkGoalReport a = goalReport(report, A);
        assertThat(a.outcome()).isEqualTo(OmkGoalReport.Outcome.SKIPPED);
        assertThat(a.problems().get(0).file()).isEqualTo("goals/" + A + "/events.jsonl");
        assertThat(a.problems().get(0).message()).contains("already in Cairn's log");
        assertThat(goalReport(report, B).outcome()).isEqualTo(OmkGoalReport.Outcome.IMPORTED);
        // nothing of A: no row, no task, no artifact, no lease, no event (the rows were written before the failure)
        assertThat(goals.find(A)).isEmpty();
        assertThat(db.events().streamVersion(Goal.streamId(A))).isEqualTo(-1);
        try (var c = dev.cairn.Backends.connect(location());
                var rows = c.createStatement().executeQuery("SELECT (SELECT count(*) FROM goal_tasks WHERE goal_id = '"
                        + A + "') + (SELECT count(*) FROM goal_artifacts WHERE goal_id = '" + A + "') + (SELECT "
                        + "count(*) FROM goal_decisions WHERE goal_id = '" + A + "')")) {
            rows.next();
            assertThat(rows.getLong(1)).isZero();
        }
        // the files copied for the failed goal go with it; the imported goal's stay
        Path copies = dir.resolve("kept");
        goals.delete(B);
        OmkImportReport copied = db.importOmk(OmkImportOptions.of(state).withArtifactsCopiedTo(copies));
        assertThat(goalReport(copied, A).outcome()).isEqualTo(OmkGoalReport.Outcome.SKIPPED);
        assertThat(goalReport(copied, B).outcome()).isEqualTo(OmkGoalReport.Outcome.IMPORTED);
        assertThat(copies.resolve("goals").resolve(B).resolve("prd.md")).isRegularFile();
        try (var left = Files.walk(copies.resolve("goals").resolve(A))) {
            assertThat(left.filter(Files::isRegularFile).toList()).isEmpty();
        }
        assertThatThrownBy(() -> db.importOmk(OmkImportOptions.of(state).withArtifactsCopiedTo(state.resolve("x"))))
                .isInstanceOf(dev.cairn.InvalidInputException.class).hasMessageContaining("inside the omk state");
    }

    @Test
    void dollarsBecomeCentsHalfUpFromTheDecimalTextNeverThroughADouble() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        Path goalDir = state.resolve("goals").resolve(A);
        // 2.675 is 2.67499999999999982... as a double: 267 cents through one, 268 from the text.
        Files.writeString(goalDir.resolve("goal.json"), Files.readString(goalDir.resolve("goal.json"))
                .replace("\"budget_usd\": 10.0", "\"budget_usd\": 2.675"));
        Path checkpoints = goalDir.resolve("budget-checkpoints.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(checkpoints));
        lines.set(0, lines.get(0).replace("\"estimated_cost_usd\":0.0", "\"estimated_cost_usd\":0.005"));
        lines.set(1, lines.get(1).replace("\"estimated_cost_usd\":0.0", "\"estimated_cost_usd\":0.00499999999"));
        Files.write(checkpoints, lines);
        OmkGoalReport a = goalReport(importing(state), A);
        assertThat(goals.get(A).budget().money().cents()).isEqualTo(268);
        assertThat(goals.budgets().byGoal(A)).extracting(c -> c.spent().cents()).startsWith(1L, 0L);
        assertThat(a.conversions()).anyMatch(c -> c.contains("budget_usd in goal.json rounded half up")
                && c.contains("2.675 -> 268 cents"));
    }

    @Test
    void aDryRunReportsTheSameAndWritesNothing() throws Exception {
        Path state = OmkFixtures.broken("unknown-goal-status", dir.resolve("omk"));
        OmkImportReport dry = db.importOmk(OmkImportOptions.of(state).withDryRun(true));
        assertThat(dry.dryRun()).isTrue();
        assertThat(db.events().lastPosition().sequence()).isZero();
        assertThat(goals.find(A)).isEmpty();
        OmkImportReport real = importing(state);
        assertThat(dry.goals()).hasSameSizeAs(real.goals());
        for (int i = 0; i < real.goals().size(); i++) {
            OmkGoalReport d = dry.goals().get(i);
            OmkGoalReport r = real.goals().get(i);
            assertThat(d.outcome()).isEqualTo(r.outcome());
            assertThat(d.records()).isEqualTo(r.records());
            assertThat(d.eventTypes()).isEqualTo(r.eventTypes());
            assertThat(d.conversions()).isEqualTo(r.conversions());
            assertThat(d.problems()).isEqualTo(r.problems());
        }
        assertThat(goalReport(dry, A).count("events")).isEqualTo(65);
        // after the import, a dry run says what a second import would do: nothing
        assertThat(db.importOmk(OmkImportOptions.of(state).withDryRun(true)).goals())
                .extracting(OmkGoalReport::outcome)
                .containsExactly(OmkGoalReport.Outcome.UNCHANGED, OmkGoalReport.Outcome.SKIPPED);
    }

    @Test
    void twoImportsOfOneDirectoryAtOnceImportEachGoalOnce() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<long[]>> runs = new ArrayList<>();
            List<OmkImportReport> reports = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 2; i++) {
                runs.add(threads.submit(() -> {
                    start.await();
                    long began = System.nanoTime();
                    reports.add(importing(state));
                    return new long[] {began, System.nanoTime()};
                }));
            }
            long[] first = runs.get(0).get();
            long[] second = runs.get(1).get();
            assertThat(Math.max(first[0], second[0])).as("the two imports overlapped")
                    .isLessThan(Math.min(first[1], second[1]));
            for (String id : List.of(A, B)) {
                List<OmkGoalReport.Outcome> outcomes = reports.stream().map(r -> goalReport(r, id).outcome()).toList();
                assertThat(outcomes).containsExactlyInAnyOrder(OmkGoalReport.Outcome.IMPORTED,
                        OmkGoalReport.Outcome.UNCHANGED);
                assertThat(db.events().streamVersion(Goal.streamId(id)) + 1).isEqualTo(1
                        + goalReport(reports.get(0), id).count("events") + goalReport(reports.get(0), id)
                        .count("costRecords"));
            }
            assertThat(goals.artifacts().byGoal(A)).hasSize((int) goalReport(reports.get(0), A).count("artifacts"));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void onlyTheGoalsAskedForAreImported() {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        OmkImportReport report = db.importOmk(OmkImportOptions.of(state).withGoals(List.of(B, "goal-none")));
        assertThat(report.goals()).extracting(OmkGoalReport::goalId).containsExactly(B, "goal-none");
        assertThat(goalReport(report, "goal-none").problems().get(0).kind())
                .isEqualTo(OmkImportProblem.Kind.MISSING);
        assertThat(goals.find(A)).isEmpty();
        assertThat(goals.find(B)).isPresent();
    }

    @Test
    void artifactsCopiedElsewhereOutliveTheOmkDirectory() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        Path copies = dir.resolve("kept");
        OmkImportReport report = db.importOmk(OmkImportOptions.of(state).withArtifactsCopiedTo(copies));
        assertThat(report.warnings()).noneMatch(w -> w.contains("deleting that directory"));
        List<Artifact> artifacts = goals.artifacts().byGoal(B);
        String base = copies.toRealPath().toString();
        assertThat(artifacts).isNotEmpty().allMatch(a -> a.baseDir().equals(base));
        deleteTree(state);
        for (Artifact artifact : artifacts) {
            Path copy = copies.resolve(artifact.path());
            assertThat(copy).isRegularFile();
            assertThat(sha256(copy)).isEqualTo(artifact.sha256());
        }
        // without the copy, the report warns that the files stay in omk's directory
        OmkImportReport inPlace = db.importOmk(OmkImportOptions.of(OmkFixtures.sample(dir.resolve("omk2")))
                .withGoals(List.of(A)));
        assertThat(inPlace.goals().get(0).outcome()).isEqualTo(OmkGoalReport.Outcome.CONFLICT); // other base dir
        db.goals().delete(A);
        OmkImportReport again = db.importOmk(OmkImportOptions.of(dir.resolve("omk2")).withGoals(List.of(A)));
        assertThat(again.warnings()).anyMatch(w -> w.contains("deleting that directory loses the files"));
    }

    @Test
    void artifactsLeadingOutOfTheStateDirectoryAreNotRegistered() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        Path outside = Files.writeString(dir.resolve("secret.txt"), "not omk's");
        Path goalDir = state.resolve("goals").resolve(A);
        Files.createSymbolicLink(goalDir.resolve("artifacts").resolve("escape.txt"), outside);
        String goalJson = Files.readString(goalDir.resolve("goal.json")).replace("\"artifacts\": [",
                "\"artifacts\": [\n    {\"kind\": \"log\", \"path\": \"../../../secret.txt\", \"created_at\": "
                        + "\"2026-05-18T09:12:04Z\"},");
        Files.writeString(goalDir.resolve("goal.json"), goalJson);
        // a project checkout and a temporary file of a crashed write: no goal state
        Files.createDirectories(goalDir.resolve("worktrees/slice-0/src"));
        Files.writeString(goalDir.resolve("worktrees/slice-0/src/main.rs"), "fn main() {}");
        Files.writeString(goalDir.resolve(".goal.json.tmp.0d6a0f4e"), "{");
        OmkGoalReport a = goalReport(importing(state), A);
        assertThat(a.outcome()).isEqualTo(OmkGoalReport.Outcome.IMPORTED);
        assertThat(goals.artifacts().byGoal(A)).extracting(Artifact::path).noneMatch(p -> p.contains("secret")
                || p.contains("escape") || p.contains("worktrees") || p.contains(".tmp."));
        assertThat(a.conversions()).anyMatch(c -> c.startsWith("worktrees/ holds git checkouts"))
                .anyMatch(c -> c.startsWith("temporary files a crashed omk write left behind: ignored"));
        assertThat(a.conversions()).anyMatch(c -> c.contains("outside omk's state directory"))
                .anyMatch(c -> c.contains("links leading out of omk's state directory"));
    }

    @Test
    void controllersAndLeasesOfOmkDbAreImportedOwnedByNobodyAlive() throws Exception {
        Path state = OmkFixtures.sample(dir.resolve("omk"));
        OmkFixtures.omkDb(state);
        // The controller's pid names a live process here (this one): only its missing heartbeat makes it not alive.
        long me = ProcessHandle.current().pid();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + state.resolve("omk.db"))) {
            c.createStatement().executeUpdate("UPDATE goals SET controller_pid = " + me + " WHERE controller_pid = 50377");
        }
        OmkImportReport report = importing(state);
        assertThat(report.warnings()).anyMatch(w -> w.contains("goal-20260101-000000-000-00000000")
                && w.contains("no directory under goals/"));
        OmkGoalReport r = goalReport(report, B);
        assertThat(r.count("controllers")).isEqualTo(1);
        assertThat(r.count("leases")).isEqualTo(3);
        assertThat(r.conversions()).anyMatch(c -> c.contains("omk.db says status 'running'"));
        Goal b = goals.get(B);
        assertThat(b.status()).isEqualTo(GoalStatus.NOT_READY); // goal.json wins over omk.db
        assertThat(b.controller().pid()).isEqualTo(me);
        assertThat(b.heartbeatAt()).isNull(); // never heard from in Cairn: not alive, though its pid runs here
        JsonNode controller = first(B).payloadTree().get("controller");
        assertThat(controller.get("pid").asLong()).isEqualTo(me);
        assertThat(controller.get("lastHeartbeat").asText()).isEqualTo(Instant.ofEpochSecond(1779634455).toString());

        // lease #2: sub-second claim from the events, heartbeat from omk.db; the db-only lease, released
        List<SliceLease> active = goals.leases().active(B);
        assertThat(active).singleElement().satisfies(l -> {
            assertThat(l.claimedAt()).isEqualTo(t("2026-05-24T14:51:03.543Z"));
            assertThat(l.heartbeatAt()).isEqualTo(Instant.ofEpochSecond(1779634455));
        });
        JsonNode leases = first(B).payloadTree().get("leases");
        assertThat(leases).extracting(l -> l.get("from").asText()).containsExactly("events", "events and omk.db",
                "omk.db");
        SliceLease dbOnly = goals.leases().get(leases.get(2).get("id").asLong()).orElseThrow();
        assertThat(dbOnly.sliceId()).isEqualTo("goal-agent-implement-1");
        assertThat(dbOnly.releasedAt()).isEqualTo(Instant.ofEpochSecond(1779634320));

        // the ownership model: anybody may take the goal over at once, and expiring stale leases frees the slice
        goals.start(B);
        assertThat(goals.listOrphaned(GoalStore.DEFAULT_STALE_AFTER)).extracting(Goal::id).contains(B);
        Owner other = Owner.of("another-host");
        assertThat(goals.claimController(B, other)).isPresent();
        assertThat(goals.get(B).controller()).isEqualTo(other);
        Owner worker = Owner.current();
        assertThat(goals.leases().tryClaim(B, "goal-agent-implement-0", worker, "worker", List.of("src")))
                .isInstanceOf(ClaimResult.SliceHeld.class);
        assertThat(goals.leases().expireStale(GoalStore.DEFAULT_STALE_AFTER)).extracting(
                SliceLease::sliceId).containsExactly("goal-agent-implement-0");
        assertThat(goals.leases().tryClaim(B, "goal-agent-implement-0", worker, "worker", List.of("src"))
                .claimed()).isTrue();
    }

    @Test
    void importedGoalsWorkLikeNativeOnes() {
        importing(OmkFixtures.sample(dir.resolve("omk")));
        assertThat(goals.tasks().readyTasks(B)).extracting(Task::id).containsExactly("goal-agent-implement-0",
                "goal-agent-implement-1");
        TaskClaim claim = goals.tasks().claimTask(B, "worker-1", Duration.ofMinutes(5)).orElseThrow();
        assertThat(claim.taskId()).isEqualTo("goal-agent-implement-0");
        goals.tasks().complete(claim, List.of("rate limiter in place"));
        Goal paused = goals.pause(B);
        assertThat(paused.version()).isEqualTo(2);
        List<RecordedEvent> stream = db.events().readStream(Goal.streamId(B), 0).toList();
        assertThat(stream.subList(stream.size() - 3, stream.size())).extracting(RecordedEvent::type)
                .containsExactly("goal.task-claimed", "goal.task-completed", "goal.status-changed");
        assertThat(goals.list(dev.cairn.goals.GoalFilter.all())).extracting(s -> s.id()).containsExactly(B, A);
        assertThat(goals.budgets().latest(A).orElseThrow().label()).isEqualTo("integration_decision");
        // a ready goal is final, as any other
        assertThatThrownBy(() -> goals.start(A)).isInstanceOf(dev.cairn.IllegalTransitionException.class);
        goals.delete(A);
        assertThat(db.events().streamVersion(Goal.streamId(A))).isEqualTo(-1);
    }

    @Test
    void aDirectoryThatIsNoOmkStateIsRefused() throws IOException {
        assertThatThrownBy(() -> importing(dir.resolve("absent"))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("does not exist");
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> importing(dir.resolve("empty"))).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("has no goals/ directory");
        assertThat(db.events().lastPosition().sequence()).isZero();
    }

    @Test
    void theDefaultStateDirectoryIsOmksOwn() throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        assertThat(OmkImportOptions.defaultStateDir(Map.of(), home.toString()))
                .isEqualTo(home.resolve(".local/state/omk"));
        assertThat(OmkImportOptions.defaultStateDir(Map.of("XDG_STATE_HOME", "/xdg"), home.toString()))
                .isEqualTo(Path.of("/xdg/omk"));
        Files.createDirectories(home.resolve(".omk"));
        assertThat(OmkImportOptions.defaultStateDir(Map.of("XDG_STATE_HOME", "/xdg"), home.toString()))
                .isEqualTo(home.resolve(".omk/state"));
        assertThat(OmkImportOptions.defaultStateDir(Map.of(), null)).isEqualTo(Path.of("/tmp/.local/state/omk"));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    RecordedEvent first(String goalId) {
        return db.events().readStream(Goal.streamId(goalId), 0).findFirst().orElseThrow();
    }

    static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode fileJson(Path state, String goal, String file) throws IOException {
        return json(Files.readString(state.resolve("goals").resolve(goal).resolve(file)));
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    static void deleteTree(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
