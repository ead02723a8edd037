package dev.cairn.bench;

import dev.cairn.Cairn;
import dev.cairn.runs.RunScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Resuming a durable run of 1000 finished steps: {@code beginOrResume} under its key, then the agent's 1000 steps,
 * each answered with its recorded result, up to the first unfinished step (not run). The "raw" side reads the same
 * 1000 steps with {@code steps(runId)}. Target: under 50 ms on SQLite.
 */
@State(Scope.Benchmark)
public class ResumeBenchmark {
    static final int STEPS = 1000;

    @Param("sqlite")
    public String backend;

    Cairn db;
    String key;
    String runId;

    @Setup
    public void open() {
        db = Workloads.openFresh(backend, "resume-1000.db");
        key = "resume-" + System.nanoTime();
        RunScope run = db.runs().beginOrResume(key, null, null);
        for (int i = 0; i < STEPS; i++) {
            int n = i;
            run.step("step-" + n, DurableStepBenchmark.Plan.class, step -> DurableStepBenchmark.PLAN);
        }
        runId = run.id(); // never closed: the run waits for its step 1001
    }

    @Benchmark
    public Object cairn() {
        RunScope run = db.runs().beginOrResume(key, null, null);
        Object last = null;
        for (int i = 0; i < STEPS; i++) {
            last = run.step("step-" + i, DurableStepBenchmark.Plan.class, step -> {
                throw new IllegalStateException("a finished step ran again");
            });
        }
        return last;
    }

    @Benchmark
    public Object raw() {
        return db.runs().steps(runId);
    }

    @TearDown
    public void close(BenchmarkParams params) throws Exception {
        Workloads.finish(params, db);
    }
}
