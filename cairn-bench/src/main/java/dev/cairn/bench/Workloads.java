package dev.cairn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.Cairn;
import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;

/** What the benchmarks share: the event they write, where their files go, and the peak-heap record. */
final class Workloads {
    /** The payload of every benchmark event: the size of a typical agent activity (about 200 bytes). */
    static final String PAYLOAD = "{\"threadId\":\"thread-7\",\"turnId\":\"turn-42\",\"tone\":\"tool\","
            + "\"summary\":\"ran the test suite\",\"detail\":\"mvn -B verify: 312 tests, 0 failures, 0 errors\","
            + "\"tool\":\"shell\",\"exitCode\":0}";
    /** Not a type the orchestration projector knows: both sides write exactly the same row and nothing else. */
    static final String TYPE = "bench.activity";
    /**
     * How the baselines turn a row's payload into the record Cairn decodes it into: a plain mapper, as a user's own
     * store would use. A replay "into typed records" compared with a scan that leaves the JSON as text would charge
     * the decoding, which every reader of events needs, to Cairn alone.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static BenchEvent.Activity typed(String payload) {
        try {
            return MAPPER.readValue(payload, BenchEvent.Activity.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code backend} parameter of the PostgreSQL rows ("sqlite" is the default of every benchmark). */
    static final String POSTGRES = "postgres";
    /** The server of the PostgreSQL rows, passed to the forked JVMs by {@code BenchMain --postgres URL}. */
    static final String POSTGRES_URL = "cairn.bench.postgres";
    /** The schemas this JVM created, dropped by {@link #dropSchemas()} when its trial ends. */
    private static final List<String> SCHEMAS = new ArrayList<>();

    private Workloads() {}

    /** A new event (each has its own id) with the benchmark payload. */
    static EventData event() {
        return EventData.of(TYPE, PAYLOAD);
    }

    /** The expectation of a writer that knows its stream's version ({@code -1}: not created yet). */
    static ExpectedVersion expect(long version) {
        return version < 0 ? ExpectedVersion.noStream() : ExpectedVersion.exact(version);
    }

    static Path dir() {
        Path dir = Path.of(System.getProperty("cairn.bench.dir", "target/bench"));
        try {
            Files.createDirectories(dir.resolve("work"));
            Files.createDirectories(dir.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** A scratch file for one trial, removed first. */
    static Path fresh(String name) {
        Path file = dir().resolve("work").resolve(name);
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            try {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    static Cairn openFresh(String name) {
        return Cairn.open(fresh(name));
    }

    /** A new, empty store: a fresh file on SQLite, a fresh schema on PostgreSQL. */
    static Cairn openFresh(String backend, String name) {
        return POSTGRES.equals(backend) ? Cairn.open(freshSchema()) : openFresh(name);
    }

    /** Creates a schema of its own on the PostgreSQL server and returns the URL that opens it. */
    static synchronized String freshSchema() {
        String server = System.getProperty(POSTGRES_URL);
        if (server == null) {
            throw new IllegalStateException("the PostgreSQL rows need -D" + POSTGRES_URL + "=jdbc:postgresql://...");
        }
        String schema = "cairn_bench_" + Long.toHexString(System.nanoTime()) + "_" + SCHEMAS.size();
        postgres(server, "CREATE SCHEMA " + schema);
        SCHEMAS.add(schema);
        return server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Drops every schema {@link #freshSchema()} created in this JVM (after the stores on them are closed). */
    static synchronized void dropSchemas() {
        for (String schema : SCHEMAS) {
            postgres(System.getProperty(POSTGRES_URL), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        SCHEMAS.clear();
    }

    private static void postgres(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql + " on " + url.split("\\?")[0] + ": " + e.getMessage(),
                    e);
        }
    }

    /** The side a trial measures: the benchmark method's name, "cairn", "raw" or "hand". */
    static String side(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /**
     * The end of a trial: records the peak heap and the size of the measured side's log, closes what the trial opened
     * (nulls are sides the row does not have), then drops the PostgreSQL schemas it created (if any).
     */
    static void finish(BenchmarkParams params, AutoCloseable... open) throws Exception {
        String benchmark = params.getBenchmark();
        recordPeakHeap(benchmark);
        String side = side(params);
        for (AutoCloseable closeable : open) {
            long size = closeable instanceof Cairn db && side.equals("cairn") ? db.events().lastPosition().sequence()
                    : closeable instanceof RawEvents raw && side.equals("raw") ? raw.lastSequence()
                    : closeable instanceof HandWrittenEvents hand && side.equals("hand") ? hand.lastSequence() : -1;
            if (size >= 0) {
                append("log.txt", benchmark + " " + size);
            }
        }
        for (AutoCloseable closeable : open) {
            if (closeable != null) {
                closeable.close();
            }
        }
        dropSchemas();
    }

    private static void append(String file, String line) {
        try {
            Files.writeString(dir().resolve(file), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends this JVM's peak heap use to a file the harness reads after the fork ends. */
    static void recordPeakHeap(String workload) {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        append("heap.txt", workload + " " + peak);
    }
}
