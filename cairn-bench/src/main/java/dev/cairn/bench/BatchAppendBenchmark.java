package dev.cairn.bench;

import dev.cairn.Cairn;
import dev.cairn.events.EventData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * 1000 events of one stream in one call and one transaction, appended to a log that already holds {@link #logEvents}
 * events (on SQLite: copies of the read benchmarks' kept logs, one per side), so that every side's indexes are as deep
 * as a store that has been in use for a while, not the few pages of an empty file.
 */
@State(Scope.Benchmark)
public class BatchAppendBenchmark {
    static final int BATCH = 1000;

    /** "sqlite", or "postgres" for the PostgreSQL rows (BenchMain --postgres). */
    @Param("sqlite")
    public String backend;

    /** The events each side's log holds before the first append (SQLite only; PostgreSQL starts empty). */
    @Param("1000000")
    public int logEvents;

    Cairn db;
    RawEvents raw;
    /** The hand-written store; SQLite rows only. */
    HandWrittenEvents hand;
    long rawVersion;
    long handVersion = -1;
    long cairnVersion = -1;
    long stream;

    @Setup
    public void open(BenchmarkParams params) throws Exception {
        if (Workloads.POSTGRES.equals(backend)) {
            db = Workloads.openFresh(backend, "batch-cairn.db");
            raw = RawEvents.fresh(backend, "batch-raw.db", "NORMAL");
            return;
        }
        // Only the measured side's log is copied (each side runs in a fork of its own): a copy is hundreds of MB.
        Path[] log = Fixtures.log(logEvents / 1000, 1000);
        switch (Workloads.side(params)) {
            case "cairn" -> db = Cairn.open(Fixtures.copy(log[0], "batch-cairn.db"));
            case "raw" -> raw = new RawEvents(Fixtures.copy(log[1], "batch-raw.db"));
            default -> hand = new HandWrittenEvents(
                    Fixtures.copy(Fixtures.handLog(logEvents / 1000, 1000), "batch-hand.db"), "NORMAL");
        }
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
