package dev.cairn.bench;

import dev.cairn.Cairn;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/** One event per call, each in its own committed transaction, on one thread. */
@State(Scope.Benchmark)
public class SingleAppendBenchmark {
    Cairn db;
    RawEvents raw;
    long rawVersion;
    long cairnVersion = -1;

    @Setup
    public void open() throws Exception {
        db = Workloads.openFresh("single-cairn.db");
        raw = RawEvents.fresh(Workloads.fresh("single-raw.db"));
    }

    @Benchmark
    public Object cairn() {
        // An exact expected version: what a runtime appending to its own stream does.
        var stored = db.events().append("thread:single", Workloads.expect(cairnVersion), List.of(Workloads.event()));
        cairnVersion++;
        return stored;
    }

    @Benchmark
    public void raw() throws Exception {
        raw.appendOne("thread:single", rawVersion++, Workloads.TYPE, Workloads.PAYLOAD);
    }

    @TearDown
    public void close(BenchmarkParams params) throws Exception {
        Workloads.recordPeakHeap(params.getBenchmark());
        db.close();
        raw.close();
    }
}
