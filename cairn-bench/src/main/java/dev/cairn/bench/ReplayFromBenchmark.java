package dev.cairn.bench;

import dev.cairn.Cairn;
import dev.cairn.events.LogPosition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/** The latency of catching up on the last 1000 events of a large log: a subscriber's or a projector's restart. */
@State(Scope.Benchmark)
public class ReplayFromBenchmark {
    @Param("10000000")
    public int events;

    /** "sqlite", or "postgres" for the PostgreSQL rows (BenchMain --postgres). */
    @Param("sqlite")
    public String backend;

    Cairn db;
    RawEvents raw;
    /** The position of the 1001st event from the end, after which Cairn replays. */
    LogPosition cairnFrom;
    long rawHead;

    @Setup
    public void open() throws Exception {
        Fixtures.Log log = Fixtures.open(backend, events / 1000, 1000);
        db = log.cairn();
        raw = log.raw();
        // The log is 1000-event streams written one after the other: the last 1000 events are the last stream, and
        // they come after the last event of the stream before it.
        int streams = events / 1000;
        cairnFrom = db.events().readStream("thread:s" + (streams - 2), 999).findFirst().orElseThrow().position();
        rawHead = raw.lastSequence();
    }

    @Benchmark
    public long cairn(Blackhole sink) {
        long[] count = {0};
        db.events().replayFrom(cairnFrom).forEach(event -> {
            sink.consume(BenchEvent.CATALOGUE.decode(event).orElseThrow());
            count[0]++;
        });
        return count[0];
    }

    @Benchmark
    public long raw(Blackhole sink) throws Exception {
        return raw.scanFrom(rawHead - 1000, 500, row -> sink.consume(Workloads.typed(row.payload())));
    }

    @TearDown
    public void close(BenchmarkParams params) throws Exception {
        Workloads.finish(params, db, raw);
    }
}
