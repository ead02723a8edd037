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
 * harness runs it with 1, 4 and 16 threads. Cairn shares one store (group commit coalesces the threads' appends);
 * the raw baseline gives each thread its own connection, as a hand-written store would, and lets SQLite's busy
 * handler arbitrate.
 */
@State(Scope.Benchmark)
public class ConcurrentAppendBenchmark {
    /** NORMAL, or FULL: every commit synced to disk before the appender returns. */
    @Param("NORMAL")
    public String durability;

    Cairn db;
    final AtomicInteger threads = new AtomicInteger();

    /** Each thread appends to its own stream, so versions never conflict. */
    @State(Scope.Thread)
    public static class Writer {
        String stream;
        long version = -1;
        RawEvents raw;
        long rawVersion;

        @Setup(Level.Trial)
        public void open(ConcurrentAppendBenchmark shared) throws Exception {
            int n = shared.threads.incrementAndGet();
            stream = "thread:writer-" + n;
            raw = new RawEvents(Workloads.dir().resolve("work").resolve("concurrent-raw.db"), shared.durability);
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            raw.close();
        }
    }

    @Setup(Level.Trial)
    public void open() throws Exception {
        db = Cairn.builder().path(Workloads.fresh("concurrent-cairn.db")).busyTimeout(Duration.ofSeconds(60))
                .durability(Durability.valueOf(durability)).open();
        RawEvents.fresh(Workloads.fresh("concurrent-raw.db")).close();
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
    public void close(BenchmarkParams params) {
        Workloads.recordPeakHeap(params.getBenchmark());
        db.close();
    }
}
