package dev.cairn.bench;

import dev.cairn.Cairn;
import dev.cairn.Durability;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Single-event appends from many threads of one process, each thread waiting for the commit of its own event. The
 * harness runs it with 1, 4 and 16 threads (1, 4, 16 and 64 on PostgreSQL). Cairn shares one store (group commit
 * coalesces the threads' appends: one batch at a time on SQLite, several at once on PostgreSQL);
 * the raw baseline gives each thread its own connection, as a hand-written store would, and lets SQLite's busy
 * handler (or PostgreSQL) arbitrate.
 */
@State(Scope.Benchmark)
public class ConcurrentAppendBenchmark {
    /** NORMAL, or FULL: every commit synced to disk before the appender returns. */
    @Param("NORMAL")
    public String durability;
    /** "sqlite", or "postgres" for the PostgreSQL rows (BenchMain --postgres). */
    @Param("sqlite")
    public String backend;

    Cairn db;
    /** The raw baseline's file or schema, closed once created: each writer opens its own connection to it. */
    RawEvents rawTarget;
    final AtomicInteger threads = new AtomicInteger();

    /** Each thread appends to its own stream, so versions never conflict. */
    @State(Scope.Thread)
    public static class Writer {
        String stream;
        long version = -1;
        RawEvents raw;
        long rawVersion;

        @Setup(Level.Trial)
        public void open(ConcurrentAppendBenchmark shared, BenchmarkParams params) throws Exception {
            int n = shared.threads.incrementAndGet();
            stream = "thread:writer-" + n;
            // Only where it is measured: 64 idle connections in the Cairn fork would count against the server's limit.
            if (params.getBenchmark().endsWith(".raw")) {
                raw = shared.rawTarget.reopen();
            }
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            if (raw != null) {
                raw.close();
            }
        }
    }

    @Setup(Level.Trial)
    public void open() throws Exception {
        String location = Workloads.POSTGRES.equals(backend) ? Workloads.freshSchema()
                : Workloads.fresh("concurrent-cairn.db").toString();
        db = Cairn.builder().location(location).busyTimeout(Duration.ofSeconds(60))
                .durability(Durability.valueOf(durability)).open();
        rawTarget = RawEvents.fresh(backend, "concurrent-raw.db", durability);
        rawTarget.close();
    }

    @Benchmark
    public Object cairn(Writer writer) {
        var stored = db.events().append(writer.stream, Workloads.expect(writer.version),
                List.of(Workloads.event()));
        writer.version++;
        return stored;
    }

    @Benchmark
    public void raw(Writer writer) throws Exception {
        writer.raw.appendOne(writer.stream, writer.rawVersion++, Workloads.TYPE, Workloads.PAYLOAD);
    }

    @TearDown(Level.Trial)
    public void close(BenchmarkParams params) throws Exception {
        Workloads.finish(params, db);
    }
}
