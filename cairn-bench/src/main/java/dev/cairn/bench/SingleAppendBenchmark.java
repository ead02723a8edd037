package dev.cairn.bench;

import dev.cairn.Cairn;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/** One event per call, each in its own committed transaction, on one thread. */
@State(Scope.Benchmark)
public class SingleAppendBenchmark {
    /** "sqlite", or "postgres" for the PostgreSQL rows (BenchMain --postgres). */
    @Param("sqlite")
    public String backend;
    Cairn db;
    RawEvents raw;
    /** The hand-written store; SQLite rows only. */
    HandWrittenEvents hand;
    long rawVersion;
    long handVersion = -1;
    long cairnVersion = -1;

    @Setup
    public void open() throws Exception {
        db = Workloads.openFresh(backend, "single-cairn.db");
        raw = RawEvents.fresh(backend, "single-raw.db", "NORMAL");
        hand = Workloads.POSTGRES.equals(backend) ? null : HandWrittenEvents.fresh("single-hand.db", "NORMAL");
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

    @Benchmark
    public void hand() throws Exception {
        hand.append("thread:single", handVersion, 1, Workloads.TYPE, Workloads.PAYLOAD);
        handVersion++;
    }

    @TearDown
    public void close(BenchmarkParams params) throws Exception {
        Workloads.finish(params, db, raw, hand);
    }
}
