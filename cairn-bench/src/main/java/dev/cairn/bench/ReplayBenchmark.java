package dev.cairn.bench;

import dev.cairn.Cairn;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Replays a whole log into typed records: Cairn through its catalogue, the raw and hand-written sides by reading rows
 * and decoding each payload with a plain Jackson mapper ({@link Workloads#typed}), as a user's own store would.
 */
@State(Scope.Benchmark)
public class ReplayBenchmark {
    @Param("1000000")
    public int events;

    /** "sqlite", or "postgres" for the PostgreSQL rows (BenchMain --postgres). */
    @Param("sqlite")
    public String backend;

    Cairn db;
    RawEvents raw;
    /** The hand-written store's copy of the log; SQLite rows only. */
    HandWrittenEvents hand;

    @Setup
    public void open() throws Exception {
        Fixtures.Log log = Fixtures.open(backend, events / 1000, 1000);
        db = log.cairn();
        raw = log.raw();
        hand = Workloads.POSTGRES.equals(backend) ? null
                : new HandWrittenEvents(Fixtures.handLog(events / 1000, 1000), "NORMAL");
    }

    @Benchmark
    public long cairn(Blackhole sink) {
        AtomicLong count = new AtomicLong();
        db.events().replayAll().forEach(event -> {
            sink.consume(BenchEvent.CATALOGUE.decode(event).orElseThrow());
            count.incrementAndGet();
        });
        return count.get();
    }

    @Benchmark
    public long raw(Blackhole sink) throws Exception {
        return raw.scanFrom(0, 500, row -> sink.consume(Workloads.typed(row.payload())));
    }

    @Benchmark
    public long hand(Blackhole sink) throws Exception {
        return hand.scanFrom(0, 500, row -> sink.consume(Workloads.typed(row.payload())));
    }

    @TearDown
    public void close(BenchmarkParams params) throws Exception {
        Workloads.finish(params, db, raw, hand);
    }
}
