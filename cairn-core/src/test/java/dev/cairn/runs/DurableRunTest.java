package dev.cairn.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cairn.Cairn;
import dev.cairn.ConflictException;
import dev.cairn.TestClock;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.GoalSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable runs: a run begun under a key resumes by position, answering the steps and calls it recorded instead of
 * running them again; replay runs the same code against the record and touches nothing; an archive moves a run to
 * another store.
 */
class DurableRunTest {
    @TempDir
    Path dir;

    String location() {
        return dir.resolve("durable.db").toString();
    }

    String otherLocation() {
        return dir.resolve("other.db").toString();
    }

    final TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00Z"));
    Cairn db;

    record Plan(String goal, List<String> parts, long budget) {}

    /** What the agent's code touched outside: step bodies and call bodies that really ran. */
    final AtomicInteger planned = new AtomicInteger();
    final AtomicInteger fetched = new AtomicInteger();
    final AtomicInteger modelCalls = new AtomicInteger();

    @BeforeEach
    void open() {
        db = Cairn.builder().location(location()).clock(clock).open();
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** The agent: a plan with a recorded result, a fetch without one, and a step that makes a recorded model call. */
    void agent(RunScope run, String thirdStep) {
        Plan plan = run.step("plan", Plan.class, step -> {
            planned.incrementAndGet();
            return new Plan("ship it", List.of("a", "b"), 9_007_199_254_740_993L);
        });
        run.step("fetch", step -> {
            fetched.incrementAndGet();
            return null;
        });
        run.step(thirdStep, new TypeReference<Map<String, Integer>>() {}, step -> {
            String answer = step.call("model", Map.of("prompt", "size of " + plan.parts(), "api_key", "sk-live-123456789"),
                    String.class, () -> {
                        modelCalls.incrementAndGet();
                        return "two";
                    }, response -> new Cost(120, 3));
            return Map.of(answer, plan.parts().size());
        });
    }

    @Test
    void aResumedRunAnswersFinishedStepsFromTheRecordAndRunsTheRestOnce() {
        RunScope first = db.runs().beginOrResume("job-1", List.of("--go"), Map.of("model", "m"));
        Plan plan = first.step("plan", Plan.class, step -> {
            planned.incrementAndGet();
            return new Plan("ship it", List.of("a", "b"), 9_007_199_254_740_993L);
        });
        first.step("fetch", step -> {
            fetched.incrementAndGet();
            return null;
        });
        StepScope inFlight = first.step("summarise"); // the process dies here: never ended, never closed

        RunScope second = db.runs().beginOrResume("job-1", List.of("ignored"), Map.of());
        assertThat(second.id()).isEqualTo(first.id());
        assertThatThrownBy(inFlight::success).isInstanceOf(dev.cairn.StaleClaimException.class);
        agent(second, "summarise");
        second.close();

        assertThat(planned).hasValue(1);
        assertThat(fetched).hasValue(1);
        assertThat(modelCalls).hasValue(1);
        List<Step> steps = db.runs().steps(first.id());
        assertThat(steps).extracting(Step::name).containsExactly("plan", "fetch", "summarise");
        assertThat(steps).extracting(Step::status).containsOnly(StepStatus.SUCCESS);
        assertThat(steps).extracting(Step::attempts).containsExactly(1, 1, 2);
        // Results exactly as returned (a long beyond a double's precision included); a step without a type has none.
        assertThat(steps.get(0).result().orElseThrow().get("budget").asLong()).isEqualTo(9_007_199_254_740_993L);
        assertThat(steps.get(1).result()).isEmpty();
        assertThat(steps.get(2).result().orElseThrow().toString()).isEqualTo("{\"two\":2}");
        assertThat(plan.budget()).isEqualTo(9_007_199_254_740_993L);
        assertThat(db.runs().get(first.id()).status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(db.runs().get(first.id()).key()).contains("job-1");
    }

    @Test
    void aResumedStepReadsItsRecordedResultBackAsItsType() {
        RunScope first = db.runs().beginOrResume("job-typed", null, null);
        agent(first, "summarise");
        // Not closed: the process died after its last step.
        RunScope second = db.runs().beginOrResume("job-typed", null, null);
        Plan plan = second.step("plan", Plan.class, step -> {
            throw new AssertionError("a finished step must not run again");
        });
        Map<String, Integer> sizes = second.step("fetch", step -> null) == null
                ? second.step("summarise", new TypeReference<Map<String, Integer>>() {}, step -> {
                    throw new AssertionError("a finished step must not run again");
                })
                : null;
        assertThat(plan).isEqualTo(new Plan("ship it", List.of("a", "b"), 9_007_199_254_740_993L));
        assertThat(sizes).isEqualTo(Map.of("two", 2));
        assertThat(planned).hasValue(1);
    }

    @Test
    void aStepUnderAnotherNameThanTheRecordIsADivergenceNamingItsPosition() {
        RunScope first = db.runs().beginOrResume("job-2", null, null);
        agent(first, "summarise");
        RunScope second = db.runs().beginOrResume("job-2", null, null);
        second.step("plan", Plan.class, step -> null);
        assertThatThrownBy(() -> second.step("download", step -> null))
                .isInstanceOfSatisfying(RunDivergenceException.class, e -> {
                    assertThat(e.divergence().stepPosition()).isEqualTo(2);
                    assertThat(e.divergence().recorded()).contains("step 'fetch'");
                    assertThat(e.divergence().actual()).contains("step 'download'");
                })
                .hasMessageContaining("step 2").hasMessageContaining("fetch").hasMessageContaining("download");
        assertThat(db.runs().steps(first.id())).hasSize(3);
        assertThatThrownBy(() -> second.step("fetch"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("finished before");
    }

    @Test
    void callsAreRecordedWithTheirRequestRedactedAndTheirResponseExactAndTheirCostInTheGoalsBudget() {
        db.goals().create(GoalSpec.of("g-calls", "answer", "/work"));
        RunScope run = db.runs().beginOrResume(RunStart.of("job-3", null, null).forGoal("g-calls"));
        agent(run, "summarise");
        run.close();
        List<RecordedCall> calls = db.runs().calls(run.id());
        assertThat(calls).hasSize(1);
        RecordedCall call = calls.get(0);
        assertThat(call.stepPosition()).isEqualTo(3);
        assertThat(call.position()).isEqualTo(1);
        assertThat(call.kind()).isEqualTo("model");
        assertThat(call.request().toString()).contains("***REDACTED***").doesNotContain("sk-live");
        assertThat(call.response().asText()).isEqualTo("two");
        assertThat(call.cost()).contains(new Cost(120, 3));
        assertThat(db.runs().get(run.id()).goalId()).contains("g-calls");
        BudgetCheckpoint budget = db.goals().budgets().latest("g-calls").orElseThrow();
        assertThat(budget.tokensUsed()).isEqualTo(120);
        assertThat(budget.spent().cents()).isEqualTo(3);
        assertThat(budget.label()).contains(run.id()).contains("summarise");
    }

    @Test
    void aCallAnEarlierAttemptRecordedIsAnsweredFromTheRecordWhenItsStepRunsAgain() {
        RunScope first = db.runs().beginOrResume("job-4", null, null);
        StepScope step = first.step("ask");
        String answer = step.call("model", Map.of("q", 1L), String.class, () -> {
            modelCalls.incrementAndGet();
            return "first answer";
        });
        assertThat(answer).isEqualTo("first answer");
        // dies before the step ends
        RunScope second = db.runs().beginOrResume("job-4", null, null);
        String again = second.step("ask", String.class, s -> s.call("model", Map.of("q", 1), String.class, () -> {
            modelCalls.incrementAndGet();
            return "second answer";
        }));
        assertThat(again).isEqualTo("first answer");
        assertThat(modelCalls).hasValue(1);
        RunScope third = db.runs().beginOrResume("job-5", null, null);
        StepScope other = third.step("ask");
        other.call("model", Map.of("q", 1), String.class, () -> "x");
        RunScope fourth = db.runs().beginOrResume("job-5", null, null);
        assertThatThrownBy(() -> fourth.step("ask", s -> s.call("model", Map.of("q", 2), String.class, () -> "y")))
                .isInstanceOfSatisfying(RunDivergenceException.class, e -> {
                    assertThat(e.divergence().stepPosition()).isEqualTo(1);
                    assertThat(e.divergence().callPosition()).contains(1);
                });
    }

    @Test
    void aFailedStepRecordsItsExceptionClassAndRedactedMessageAndRunsAgainOnResume() {
        RunScope first = db.runs().beginOrResume("job-6", null, null);
        assertThatThrownBy(() -> first.step("flaky", Integer.class, step -> {
            throw new IllegalStateException("refused with token=hunter2hunter2");
        })).isInstanceOf(IllegalStateException.class);
        Step failed = db.runs().steps(first.id()).get(0);
        assertThat(failed.status()).isEqualTo(StepStatus.FAILED);
        assertThat(failed.exceptionClass()).contains(IllegalStateException.class.getName());
        assertThat(failed.message().orElseThrow()).contains("***REDACTED***").doesNotContain("hunter2");
        RunScope second = db.runs().beginOrResume("job-6", null, null);
        assertThat(second.step("flaky", Integer.class, step -> 7)).isEqualTo(7);
        Step retried = db.runs().steps(first.id()).get(0);
        assertThat(retried.status()).isEqualTo(StepStatus.SUCCESS);
        assertThat(retried.attempts()).isEqualTo(2);
        assertThat(retried.exceptionClass()).isEmpty();
    }

    @Test
    void aFinishedRunIsNotResumedUnderItsKey() {
        RunScope run = db.runs().beginOrResume("job-7", null, null);
        agent(run, "summarise");
        run.close();
        assertThatThrownBy(() -> db.runs().beginOrResume("job-7", null, null))
                .isInstanceOf(ConflictException.class).hasMessageContaining(run.id()).hasMessageContaining("finished");
    }

    @Test
    void replayingAFinishedRunWithTheSameCodeTouchesNothingAndMatches() {
        RunScope run = db.runs().beginOrResume("job-8", null, null);
        agent(run, "summarise");
        run.close();
        int auditBefore = db.runs().auditLog(AuditQuery.all().limit(10_000)).size();
        modelCalls.set(0);
        ReplayReport report = db.runs().replay(run.id(), r -> agent(r, "summarise"));
        assertThat(report.matches()).as(String.valueOf(report.divergence())).isTrue();
        assertThat(report.steps()).isEqualTo(3);
        assertThat(report.calls()).isEqualTo(1);
        assertThat(modelCalls).as("call bodies run during the replay").hasValue(0);
        assertThat(planned).as("step bodies run during the replay").hasValue(2);
        assertThat(db.runs().auditLog(AuditQuery.all().limit(10_000))).hasSize(auditBefore);

        ReplayReport renamed = db.runs().replay(run.id(), r -> agent(r, "condense"));
        assertThat(renamed.matches()).isFalse();
        Divergence divergence = renamed.divergence().orElseThrow();
        assertThat(divergence.stepPosition()).isEqualTo(3);
        assertThat(divergence.recorded()).contains("step 'summarise'");
        assertThat(divergence.actual()).contains("step 'condense'");
        assertThat(modelCalls).hasValue(0);

        ReplayReport shorter = db.runs().replay(run.id(), r -> r.step("plan", Plan.class, s -> null));
        assertThat(shorter.divergence().orElseThrow().stepPosition()).isEqualTo(2);
        assertThat(shorter.divergence().orElseThrow().actual()).isEmpty();
    }

    @Test
    void anArchiveLoadsIntoAnotherStoreOnceAndRefusesASecondTime() throws IOException {
        db.goals().create(GoalSpec.of("g-archive", "archive", "/work"));
        RunScope run = db.runs().beginOrResume(RunStart.of("job-9", List.of("--x"), Map.of("k", 1))
                .forGoal("g-archive"));
        agent(run, "summarise");
        run.close();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        db.runs().exportRun(run.id(), file);
        assertThat(file.toString()).startsWith("{").contains("\"format\":\"cairn.run-archive\"")
                .contains("\"version\":1").contains("goal.created");
        try (Cairn other = Cairn.open(otherLocation())) {
            Run imported = other.runs().importRun(new ByteArrayInputStream(file.toByteArray()));
            assertThat(imported).isEqualTo(db.runs().get(run.id()));
            assertThat(other.runs().steps(run.id())).isEqualTo(db.runs().steps(run.id()));
            assertThat(other.runs().calls(run.id())).isEqualTo(db.runs().calls(run.id()));
            assertThat(other.runs().auditLog(AuditQuery.all().forRun(run.id()).limit(1000)))
                    .extracting(AuditEntry::event, AuditEntry::message)
                    .isEqualTo(db.runs().auditLog(AuditQuery.all().forRun(run.id()).limit(1000)).stream()
                            .map(e -> org.assertj.core.groups.Tuple.tuple(e.event(), e.message())).toList());
            assertThatThrownBy(() -> other.runs().importRun(new ByteArrayInputStream(file.toByteArray())))
                    .isInstanceOf(ConflictException.class).hasMessageContaining(run.id());
            assertThat(other.runs().recent(10)).hasSize(1);
        }
    }

    @Test
    void pruningAFinishedDurableRunDeletesItsCallsAndFreesNothingElse() {
        RunScope run = db.runs().beginOrResume("job-10", null, null);
        agent(run, "summarise");
        run.close();
        RunScope open = db.runs().beginOrResume("job-11", null, null);
        agent(open, "summarise");
        clock.advance(java.time.Duration.ofDays(2));
        PruneResult pruned = db.runs().prune(Retention.keepEverything().runsOlderThan(java.time.Duration.ofDays(1)));
        assertThat(pruned.runs()).isEqualTo(1);
        assertThat(db.runs().calls(run.id())).isEmpty();
        assertThat(db.runs().calls(open.id())).hasSize(1);
        assertThat(db.runs().find(run.id())).isEmpty();
    }

    @Test
    void badStartsAndBadArchivesAreRefusedNamingTheThingAndChangeNothing() {
        assertThatThrownBy(() -> db.runs().beginOrResume(RunStart.of("job-12", null, null).forGoal("no-such-goal")))
                .isInstanceOf(dev.cairn.NotFoundException.class).hasMessageContaining("no-such-goal");
        assertThatThrownBy(() -> RunStart.of(" ", null, null)).isInstanceOf(dev.cairn.InvalidInputException.class);
        assertThatThrownBy(() -> db.runs().importRun(new ByteArrayInputStream("{\"format\":\"x\"}".getBytes())))
                .isInstanceOf(dev.cairn.InvalidInputException.class).hasMessageContaining("not a Cairn run archive");
        assertThatThrownBy(() -> db.runs().importRun(new ByteArrayInputStream(
                "{\"format\":\"cairn.run-archive\",\"version\":99}".getBytes())))
                .isInstanceOf(dev.cairn.InvalidInputException.class).hasMessageContaining("version 99");
        assertThatThrownBy(() -> db.runs().exportRun("no-such-run", new ByteArrayOutputStream()))
                .isInstanceOf(dev.cairn.NotFoundException.class).hasMessageContaining("no-such-run");
        assertThat(db.runs().recent(10)).isEmpty();
    }
}
