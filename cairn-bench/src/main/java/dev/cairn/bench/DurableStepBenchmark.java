package dev.cairn.bench;

import dev.cairn.Cairn;
import dev.cairn.Durability;
import dev.cairn.runs.RunScope;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A durable run's step: one that records a small result ({@code recorded=result}), or one that makes a recorded call
 * ({@code recorded=call}), against a bare step (no result, no call) on a store of the same kind and durability in the
 * same run (the "raw" side). Target: a step with a recorded result costs at most 1.2x a bare step.
 */
@State(Scope.Benchmark)
public class DurableStepBenchmark {
    /** "sqlite", or "postgres" for the PostgreSQL rows (BenchMain --postgres). */
    @Param("sqlite")
    public String backend;

    @Param("NORMAL")
    public String durability;

    /** What the measured step records beside its outcome: "result" or "call". */
    @Param("result")
    public String recorded;

    /** A step's result of the size an agent's plan step returns. */
    public record Plan(String goal, List<String> files, int attempts) {}

    static final Plan PLAN = new Plan("fix the flaky CI test", List.of("CiTest.java", "pom.xml"), 2);
    static final Map<String, Object> REQUEST = Map.of("model", "m-1", "prompt", "which file makes CI flaky?");

    Cairn db;
    Cairn bare;
    RunScope run;
    RunScope bareRun;

    @Setup
    public void open() {
        db = open("durable-step-cairn.db");
        bare = open("durable-step-bare.db");
        run = db.runs().beginOrResume("bench-" + System.nanoTime(), null, null);
        bareRun = bare.runs().beginOrResume("bench-" + System.nanoTime(), null, null);
    }

    private Cairn open(String name) {
        String location = Workloads.POSTGRES.equals(backend) ? Workloads.freshSchema()
                : Workloads.fresh(name).toString();
        return Cairn.builder().location(location).durability(Durability.valueOf(durability)).open();
    }

    @Benchmark
    public Object cairn() {
        if (recorded.equals("call")) {
            return run.step("ask", String.class, step -> step.call("model", REQUEST, String.class,
                    () -> "CiTest.java"));
        }
        return run.step("plan", Plan.class, step -> PLAN);
    }

    @Benchmark
    public Object raw() {
        return bareRun.step("plan", step -> PLAN);
    }

    @TearDown
    public void close(BenchmarkParams params) throws Exception {
        run.close();
        bareRun.close();
        Workloads.finish(params, db, bare);
    }
}
