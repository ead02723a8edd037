package dev.cairn.bench;

import dev.cairn.Cairn;
import dev.cairn.events.EventData;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/** 1000 events of one stream in one call and one transaction. */
@State(Scope.Benchmark)
public class BatchAppendBenchmark {
    static final int BATCH = 1000;

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
    long stream;

    @Setup
    public void open() throws Exception {
        db = Workloads.openFresh(backend, "batch-cairn.db");
        raw = RawEvents.fresh(backend, "batch-raw.db", "NORMAL");
        hand = Workloads.POSTGRES.equals(backend) ? null : HandWrittenEvents.fresh("batch-hand.db", "NORMAL");
    }

    @Benchmark
    public Object cairn() {
        List<EventData> events = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            events.add(EventData.of(Workloads.TYPE, Workloads.PAYLOAD));
        }
        var stored = db.events().append("thread:batch", Workloads.expect(cairnVersion), events);
        cairnVersion += BATCH;
        return stored;
    }

    @Benchmark
    public void raw() throws Exception {
        raw.appendBatch("thread:batch", rawVersion, BATCH, Workloads.TYPE, Workloads.PAYLOAD);
        rawVersion += BATCH;
    }

    @Benchmark
    public void hand() throws Exception {
        hand.append("thread:batch", handVersion, BATCH, Workloads.TYPE, Workloads.PAYLOAD);
        handVersion += BATCH;
    }

    @TearDown
    public void close(BenchmarkParams params) throws Exception {
        Workloads.finish(params, db, raw, hand);
    }
}
