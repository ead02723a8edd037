package dev.cairn.bench;

import dev.cairn.Cairn;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/** Reads one whole stream (20 events) picked at random among 10,000: loading one thread or goal's history. */
@State(Scope.Benchmark)
public class ReadStreamBenchmark {
    static final int STREAMS = 10_000;
    static final int PER_STREAM = 20;

    /** "sqlite", or "postgres" for the PostgreSQL rows (BenchMain --postgres). */
    @Param("sqlite")
    public String backend;

    Cairn db;
    RawEvents raw;
    final SplittableRandom random = new SplittableRandom(7);

    @Setup
    public void open() throws Exception {
        Fixtures.Log log = Fixtures.open(backend, STREAMS, PER_STREAM);
        db = log.cairn();
        raw = log.raw();
    }

    @Benchmark
    public long cairn(Blackhole sink) {
        long[] count = {0};
        db.events().readStream("thread:s" + random.nextInt(STREAMS), 0).forEach(event -> {
            sink.consume(BenchEvent.CATALOGUE.decode(event).orElseThrow());
            count[0]++;
        });
        return count[0];
    }

    @Benchmark
    public long raw(Blackhole sink) throws Exception {
        return raw.readStream("thread:s" + random.nextInt(STREAMS), row -> sink.consume(Workloads.typed(row.payload())));
    }

    @TearDown
    public void close(BenchmarkParams params) throws Exception {
        Workloads.finish(params, db, raw);
    }
}
