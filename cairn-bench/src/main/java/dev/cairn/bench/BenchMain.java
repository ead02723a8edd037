package dev.cairn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.util.Statistics;

/**
 * The standard suite: every workload measured for Cairn and for the raw driver in the same run, printed as one table
 * of figures and ratios and written to {@code target/bench/results.json}. The SQLite rows of the append, replay and
 * two-process workloads have a third side, the hand-written store ({@link HandWrittenEvents}), and a second ratio.
 * Every row states the size of each side's log at the end of its trial (appends start from an empty log).
 *
 * <p>{@code --quick} runs short iterations on a 1M-event log (a few minutes); the full run uses longer iterations and
 * a 10M-event log for {@code replayFrom}. {@code --only REGEX} runs the workloads whose name it matches anywhere
 * ({@code --only "append|replay"}).
 * {@code --postgres URL} also runs the PostgreSQL rows ("pg: ..."; {@code --only pg} runs just those) against that
 * server, each trial in fresh schemas that it drops afterwards, with a raw pgjdbc baseline.
 */
public final class BenchMain {
    /**
     * One line of the table: a workload measured for Cairn, the raw driver on Cairn's table and, where it has one, the
     * hand-written store (0 where not). {@code logAtEnd} holds each side's events in the log when its trial ended.
     */
    record Row(String workload, String unit, double cairn, double raw, double hand, double cairnP50Us,
            double cairnP99Us, double rawP50Us, double rawP99Us, double handP50Us, double handP99Us,
            long cairnPeakHeapBytes, Map<String, Long> logAtEnd) {
        double ratio() {
            return raw == 0 ? 0 : cairn / raw;
        }

        double ratioHand() {
            return hand == 0 ? 0 : cairn / hand;
        }
    }

    private final boolean quick;
    private final String only;
    /** The PostgreSQL server of the "pg: ..." rows, or null to run only the SQLite rows. */
    private final String postgres;
    private final Path dir = Workloads.dir().toAbsolutePath();
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();

    private BenchMain(boolean quick, String only, String postgres) {
        this.quick = quick;
        this.only = only;
        this.postgres = postgres;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        String only = ".*";
        String postgres = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only = args[++i];
                case "--postgres" -> postgres = args[++i];
                case "--help", "-h" -> {
                    System.out.println("usage: cairn bench [--quick] [--only REGEX] [--postgres JDBC_URL]");
                    return;
                }
                default -> {
                    System.err.println("cairn bench: unknown argument " + args[i] + " (see --help)");
                    System.exit(2);
                }
            }
        }
        if (postgres != null) {
            // Fail before minutes of SQLite rows, not after.
            try (var connection = java.sql.DriverManager.getConnection(postgres)) {
                System.err.println("PostgreSQL rows on " + connection.getMetaData().getDatabaseProductVersion());
            }
        }
        new BenchMain(quick, only, postgres).run();
    }

    private void run() throws Exception {
        Files.deleteIfExists(dir.resolve("heap.txt"));
        Files.deleteIfExists(dir.resolve("log.txt"));
        int replayEvents = 1_000_000;
        int replayFromEvents = quick ? 1_000_000 : 10_000_000;
        jmh("single-event append, own commit", SingleAppendBenchmark.class, 1, 1, Map.of());
        jmh("1000-event append, one call, onto a 1M-event log", BatchAppendBenchmark.class, 1,
                BatchAppendBenchmark.BATCH, Map.of());
        jmh("replay 1M events into typed records", ReplayBenchmark.class, 1, replayEvents,
                Map.of("events", String.valueOf(replayEvents)));
        jmh("replayFrom(head - 1000), " + replayFromEvents / 1_000_000 + "M-event log", ReplayFromBenchmark.class, 1,
                1000, Map.of("events", String.valueOf(replayFromEvents)));
        jmh("readStream: one of 10k streams", ReadStreamBenchmark.class, 1, ReadStreamBenchmark.PER_STREAM, Map.of());
        jmh("goal + 50-task graph, claimed and done", GoalMixBenchmark.class, 1, 1, Map.of());
        jmh("chat: save a 20-message window, 1 new (raw: one bare append)", ChatSyncBenchmark.class, 1, 1, Map.of());
        jmh("chat: read a 20-message window of 10k history (raw: first read)", ChatWindowBenchmark.class, 1, 1,
                Map.of());
        for (String durability : new String[] {"NORMAL", "FULL"}) {
            jmh("durable: step with a small recorded result, " + durability + " (raw: bare step)",
                    DurableStepBenchmark.class, 1, 1, Map.of("durability", durability, "recorded", "result"));
            jmh("durable: step with a recorded call, " + durability + " (raw: bare step)",
                    DurableStepBenchmark.class, 1, 1, Map.of("durability", durability, "recorded", "call"));
        }
        jmh("durable: resume a 1000-step run to its first unfinished step (raw: read its steps)",
                ResumeBenchmark.class, 1, 1, Map.of());
        for (String durability : new String[] {"NORMAL", "FULL"}) {
            for (int threads : new int[] {1, 4, 16}) {
                jmh("concurrent appenders, " + threads + " thread(s), " + durability, ConcurrentAppendBenchmark.class,
                        threads, 1, Map.of("durability", durability));
            }
        }
        httpRows("", Map.of());
        if (postgres != null) {
            postgresRows();
        }
        if (selected("two processes appending")) {
            twoProcesses();
        }
        if (selected("replay in a 256 MB heap")) {
            smallHeapReplay(replayFromEvents);
        }
        if (selected(IMPORT)) {
            importOmk(null);
            if (postgres != null) {
                importOmk(postgres);
            }
        }
        print();
        write();
    }

    /** The same workloads on PostgreSQL, Cairn against raw pgjdbc; smaller read logs, to keep fixture building short. */
    private void postgresRows() throws Exception {
        Map<String, String> pg = Map.of("backend", Workloads.POSTGRES);
        int events = quick ? 200_000 : 1_000_000;
        String log = quick ? "200k" : "1M";
        Map<String, String> pgLog = Map.of("backend", Workloads.POSTGRES, "events", String.valueOf(events));
        jmh("pg: single-event append, own commit", SingleAppendBenchmark.class, 1, 1, pg);
        jmh("pg: 1000-event append, one call", BatchAppendBenchmark.class, 1, BatchAppendBenchmark.BATCH, pg);
        jmh("pg: replay " + log + " events into typed records", ReplayBenchmark.class, 1, events, pgLog);
        jmh("pg: replayFrom(head - 1000), " + log + "-event log", ReplayFromBenchmark.class, 1, 1000, pgLog);
        jmh("pg: readStream: one of 10k streams", ReadStreamBenchmark.class, 1, ReadStreamBenchmark.PER_STREAM, pg);
        jmh("pg: chat: save a 20-message window, 1 new (raw: one bare append)", ChatSyncBenchmark.class, 1, 1, pg);
        jmh("pg: chat: read a 20-message window of 10k history (raw: first read)", ChatWindowBenchmark.class, 1, 1,
                pg);
        jmh("pg: durable: step with a small recorded result (raw: bare step)", DurableStepBenchmark.class, 1, 1,
                Map.of("backend", Workloads.POSTGRES, "recorded", "result"));
        jmh("pg: durable: step with a recorded call (raw: bare step)", DurableStepBenchmark.class, 1, 1,
                Map.of("backend", Workloads.POSTGRES, "recorded", "call"));
        jmh("pg: durable: resume a 1000-step run to its first unfinished step (raw: read its steps)",
                ResumeBenchmark.class, 1, 1, pg);
        for (int threads : new int[] {1, 4, 16, 64}) {
            jmh("pg: concurrent appenders, " + threads + " thread(s)", ConcurrentAppendBenchmark.class, threads, 1, pg);
        }
        httpRows("pg: ", pg);
    }

    private boolean selected(String workload) {
        return selected(only, workload);
    }

    /** Whether {@code --only REGEX} selects a workload: the pattern may match anywhere in its name. */
    static boolean selected(String only, String workload) {
        return Pattern.compile(only).matcher(workload).find();
    }

    private void jmh(String workload, Class<?> benchmark, int threads, long eventsPerOp, Map<String, String> params)
            throws Exception {
        if (!selected(workload)) {
            return;
        }
        System.err.println("== " + workload);
        Map<String, Statistics> bySide = measure(benchmark.getName() + (sides(benchmark, params).contains("hand")
                ? "\\.(cairn|raw|hand)$" : "\\.(cairn|raw)$"), threads, params);
        Statistics cairn = bySide.get("cairn");
        Statistics raw = bySide.get("raw");
        Statistics hand = bySide.get("hand");
        Map<String, Long> logAtEnd = new LinkedHashMap<>();
        for (String side : sides(benchmark, params)) {
            logAtEnd.put(side, logAtEnd(benchmark.getName() + "." + side));
        }
        rows.add(new Row(workload, benchmark == GoalMixBenchmark.class ? "goals/s"
                : benchmark == ChatSyncBenchmark.class ? "saves/s" : benchmark == ChatWindowBenchmark.class ? "reads/s"
                : benchmark == DurableStepBenchmark.class ? "steps/s" : benchmark == ResumeBenchmark.class ? "resumes/s"
                : eventsPerOp == 1 && benchmark != ReadStreamBenchmark.class ? "appends/s" : "events/s",
                throughput(cairn, threads, eventsPerOp), throughput(raw, threads, eventsPerOp),
                hand == null ? 0 : throughput(hand, threads, eventsPerOp),
                cairn.getPercentile(50), cairn.getPercentile(99), raw.getPercentile(50), raw.getPercentile(99),
                hand == null ? 0 : hand.getPercentile(50), hand == null ? 0 : hand.getPercentile(99),
                peakHeap(benchmark.getName() + ".cairn"), logAtEnd));
    }

    /** Runs the JMH benchmarks {@code include} selects, each on {@code threads} threads; their statistics by method. */
    private Map<String, Statistics> measure(String include, int threads, Map<String, String> params)
            throws Exception {
        return measure(include, threads, params, quick ? 1 : 2, quick ? 2 : 3);
    }

    private Map<String, Statistics> measure(String include, int threads, Map<String, String> params,
            int warmups, int warmupSeconds) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .mode(Mode.SampleTime)
                .timeUnit(TimeUnit.MICROSECONDS)
                .forks(1)
                .threads(threads)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.seconds(warmupSeconds))
                .measurementIterations(quick ? 2 : 4)
                .measurementTime(TimeValue.seconds(quick ? 3 : 5))
                .shouldFailOnError(true);
        // One call: JMH's jvmArgsAppend replaces what an earlier call gave, it does not add to it.
        List<String> jvmArgs = new ArrayList<>(List.of("-Dcairn.bench.dir=" + dir, "-Xmx2g",
                "-XX:+IgnoreUnrecognizedVMOptions", "--enable-native-access=ALL-UNNAMED"));
        if (postgres != null) {
            jvmArgs.add("-D" + Workloads.POSTGRES_URL + "=" + postgres);
        }
        String extra = System.getProperty("cairn.bench.jvmArgs");
        if (extra != null && !extra.isBlank()) {
            jvmArgs.addAll(List.of(extra.trim().split("\\s+"))); // e.g. a flight recording of the measured JVM
        }
        options.jvmArgsAppend(jvmArgs.toArray(String[]::new));
        params.forEach(options::param);
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Statistics> bySide = new HashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            bySide.put(name.substring(name.lastIndexOf('.') + 1), result.getPrimaryResult().getStatistics());
        }
        return bySide;
    }

    /** Seconds of warm-up for each fork of the HTTP rows (see {@link #httpRows}). */
    static final int HTTP_WARMUP_SECONDS = 20;

    /** {@link #measure} after {@link #HTTP_WARMUP_SECONDS} of warm-up, in iterations of 5 s. */
    private Map<String, Statistics> measureWarm(String include, int threads, Map<String, String> params)
            throws Exception {
        return measure(include, threads, params, HTTP_WARMUP_SECONDS / 5, 5);
    }

    /**
     * Single appends through the HTTP API with 1 and 16 keep-alive clients in this run's JMH fork, each row against
     * the library's in-process append rate on one thread, measured in the same run at the same durability (the
     * 1-client row's raw side): the target is 16 clients at 0.5x of it or better. Then the live tail's delivery
     * latency.
     *
     * <p>A server is measured warm, as it runs: every fork of these rows, the library's included, warms up for
     * {@link #HTTP_WARMUP_SECONDS} before it is measured. With 16 clients keeping both cores busy, the JIT needs some
     * 15 s to compile the server's path (docs/benchmarks.md, "HTTP rows"); the 2 s of the other quick rows measured
     * the compiler, not the server.
     */
    private void httpRows(String prefix, Map<String, String> params) throws Exception {
        String one = prefix + "http: single append, 1 client (raw: library, 1 thread)";
        String sixteen = prefix + "http: single append, 16 clients (raw: library, 1 thread)";
        if (!selected(one) && !selected(sixteen)) {
            return;
        }
        System.err.println("== " + one);
        Map<String, Statistics> single = measureWarm(HttpAppendBenchmark.class.getName() + "\\.(cairn|raw)$", 1,
                params);
        Statistics library = single.get("raw");
        rows.add(new Row(one, "appends/s", throughput(single.get("cairn"), 1, 1), throughput(library, 1, 1), 0,
                single.get("cairn").getPercentile(50), single.get("cairn").getPercentile(99),
                library.getPercentile(50), library.getPercentile(99), 0, 0, 0, Map.of()));
        System.err.println("== " + sixteen);
        Statistics http = measureWarm(HttpAppendBenchmark.class.getName() + "\\.cairn$", 16, params).get("cairn");
        rows.add(new Row(sixteen, "appends/s", throughput(http, 16, 1), throughput(library, 1, 1), 0,
                http.getPercentile(50), http.getPercentile(99), library.getPercentile(50), library.getPercentile(99),
                0, 0, 0, Map.of()));
        System.err.println("== " + prefix + "http: live tail delivery latency");
        String schema = prefix.isEmpty() ? null : "cairn_bench_sse_" + Long.toHexString(System.nanoTime());
        String store = schema == null ? Workloads.fresh("sse-latency.db").toString()
                : schema(postgres, "CREATE", schema);
        try {
            extra.put(prefix.isEmpty() ? "sseDeliveryLatency" : "sseDeliveryLatencyPostgres",
                    SseLatency.measure(store, quick ? 500 : 2000));
        } finally {
            if (schema != null) {
                schema(postgres, "DROP", schema);
            }
        }
    }

    /** The sides a workload is measured on: the hand-written store only on the SQLite rows of the classes that have it. */
    private static List<String> sides(Class<?> benchmark, Map<String, String> params) {
        boolean hand = !Workloads.POSTGRES.equals(params.get("backend")) && (benchmark == SingleAppendBenchmark.class
                || benchmark == BatchAppendBenchmark.class || benchmark == ReplayBenchmark.class);
        return hand ? List.of("cairn", "raw", "hand") : List.of("cairn", "raw");
    }

    /** The events in a side's log when its trial ended, as {@link Workloads#finish} recorded it; -1 if unrecorded. */
    private long logAtEnd(String benchmark) throws IOException {
        Path file = dir.resolve("log.txt");
        if (!Files.exists(file)) {
            return -1;
        }
        return Files.readAllLines(file).stream().filter(line -> line.startsWith(benchmark + " "))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(' ') + 1))).max().orElse(-1);
    }

    /** Operations per second across all threads, times events per operation; from the mean sampled time. */
    private static double throughput(Statistics stats, int threads, long eventsPerOp) {
        return threads * 1_000_000.0 / stats.getMean() * eventsPerOp;
    }

    private long peakHeap(String benchmark) throws IOException {
        Path file = dir.resolve("heap.txt");
        if (!Files.exists(file)) {
            return 0;
        }
        return Files.readAllLines(file).stream().filter(line -> line.startsWith(benchmark + " "))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(' ') + 1))).max().orElse(0);
    }

    private void twoProcesses() throws Exception {
        System.err.println("== two processes appending");
        long millis = quick ? 4_000 : 10_000;
        double cairn = processes("cairn", millis);
        double raw = processes("raw", millis);
        double hand = processes("hand", millis);
        // Each side's log holds exactly what its two processes appended.
        Map<String, Long> logAtEnd = new LinkedHashMap<>();
        logAtEnd.put("cairn", Math.round(cairn * millis / 1000));
        logAtEnd.put("raw", Math.round(raw * millis / 1000));
        logAtEnd.put("hand", Math.round(hand * millis / 1000));
        rows.add(new Row("two processes appending, own commits", "appends/s", cairn, raw, hand, 0, 0, 0, 0, 0, 0, 0,
                logAtEnd));
    }

    private double processes(String side, long millis) throws Exception {
        Path file = Workloads.fresh("processes-" + side + ".db");
        if (side.equals("cairn")) {
            dev.cairn.Cairn.open(file).close();
        } else if (side.equals("hand")) {
            new HandWrittenEvents(file, "NORMAL").close();
        } else {
            RawEvents.fresh(file).close();
        }
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            children.add(java(ProcessAppend.class, "-Xmx256m", side, file.toString(), String.valueOf(millis)));
        }
        // Both open and warm up, then start their timed windows together (ProcessAppend says why).
        List<BufferedReader> outputs = new ArrayList<>();
        for (Process child : children) {
            BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            StringBuilder before = new StringBuilder();
            for (String line = output.readLine(); !"ready".equals(line); line = output.readLine()) {
                if (line == null) {
                    throw new IllegalStateException("a " + side + " appender process failed: " + before);
                }
                before.append(line).append('\n');
            }
            outputs.add(output);
        }
        for (Process child : children) {
            child.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            child.getOutputStream().flush();
        }
        long total = 0;
        for (int i = 0; i < children.size(); i++) {
            String out = outputs.get(i).lines().reduce((a, b) -> b).orElse("").strip();
            if (children.get(i).waitFor() != 0) {
                throw new IllegalStateException("a " + side + " appender process failed: " + out);
            }
            total += Long.parseLong(out);
        }
        return total * 1000.0 / millis;
    }

    private void smallHeapReplay(int events) throws Exception {
        System.err.println("== replay in a 256 MB heap");
        Path[] files = Fixtures.log(events / 1000, 1000);
        Process child = java(SmallHeapReplay.class, "-Xmx256m", files[0].toString());
        String out = new String(child.getInputStream().readAllBytes()).strip();
        int code = child.waitFor();
        String[] last = out.lines().reduce((a, b) -> b).orElse("").split(" ");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("events", events);
        result.put("heap", "256m");
        result.put("ok", code == 0);
        if (code == 0 && last.length == 2) {
            result.put("replayed", Long.parseLong(last[0]));
            result.put("seconds", Double.parseDouble(last[1]));
        } else {
            result.put("output", out);
        }
        extra.put("replayInSmallHeap", result);
    }

    /** The import workload's name: {@code --only import} selects it. */
    static final String IMPORT = "import omk state: 200 goals, 100k events, 64 MB heap";

    /**
     * {@code cairn import omk} of a generated omk state directory (200 goals of 500 events, built once in
     * target/bench/data), into a fresh store, in a child JVM of 64 MB heap: goals/s, events/s and the peak heap.
     */
    private void importOmk(String server) throws Exception {
        System.err.println("== " + IMPORT + (server == null ? "" : " (pg)"));
        Path state = dir.resolve("data").resolve("omk-200x500");
        if (!Files.exists(state.resolve("complete"))) {
            OmkStateFixture.generate(state, 200, 500);
            Files.writeString(state.resolve("complete"), "");
        }
        String schema = server == null ? null : "cairn_bench_import_" + Long.toHexString(System.nanoTime());
        String store = server == null ? Workloads.fresh("import-omk.db").toString() : schema(server, "CREATE", schema);
        Process child = java(SmallHeapImport.class, "-Xmx64m", store, state.toString());
        String out = new String(child.getInputStream().readAllBytes()).strip();
        int code = child.waitFor();
        if (schema != null) {
            schema(server, "DROP", schema);
        }
        String[] last = out.lines().reduce((a, b) -> b).orElse("").split(" ");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("backend", server == null ? "sqlite" : "postgres");
        result.put("heap", "64m");
        result.put("ok", code == 0 && last.length == 5);
        if (code == 0 && last.length == 5) {
            double seconds = Double.parseDouble(last[2]);
            result.put("goals", Long.parseLong(last[0]));
            result.put("events", Long.parseLong(last[1]));
            result.put("seconds", seconds);
            result.put("goalsPerSecond", Math.round(Long.parseLong(last[0]) / seconds * 10) / 10.0);
            result.put("eventsPerSecond", Math.round(Long.parseLong(last[1]) / seconds));
            result.put("peakHeapBytes", Long.parseLong(last[4]));
        } else {
            result.put("output", out);
        }
        extra.put(server == null ? "importOmk" : "importOmkPostgres", result);
    }

    /** Creates or drops a child JVM's schema on the server; returns the URL of the store in it. */
    private static String schema(String server, String verb, String schema) throws java.sql.SQLException {
        try (var connection = java.sql.DriverManager.getConnection(server);
                var statement = connection.createStatement()) {
            statement.execute(verb + " SCHEMA " + schema + (verb.equals("DROP") ? " CASCADE" : ""));
        }
        return server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static Process java(Class<?> main, String heap, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), heap, "-XX:+IgnoreUnrecognizedVMOptions", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private void print() {
        System.out.println();
        System.out.printf("%-44s %14s %14s %14s %6s %6s %21s %21s %21s %10s %s%n", "workload", "cairn",
                "raw driver", "hand-written", "/raw", "/hand", "cairn p50/p99 (us)", "raw p50/p99 (us)",
                "hand p50/p99 (us)", "cairn heap", "log at end (cairn/raw/hand)");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "%-44s %14s %14s %14s %6.2f %6s %21s %21s %21s %10s %s%n", row.workload(),
                    rate(row.cairn(), row.unit()), rate(row.raw(), row.unit()),
                    row.hand() == 0 ? "-" : rate(row.hand(), row.unit()), row.ratio(),
                    row.hand() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", row.ratioHand()),
                    latency(row.cairnP50Us(), row.cairnP99Us()), latency(row.rawP50Us(), row.rawP99Us()),
                    latency(row.handP50Us(), row.handP99Us()),
                    row.cairnPeakHeapBytes() == 0 ? "-" : row.cairnPeakHeapBytes() / (1024 * 1024) + " MiB",
                    String.join("/", row.logAtEnd().values().stream().map(BenchMain::events).toList()));
        }
        extra.forEach((name, value) -> System.out.println(name + ": " + value));
        System.out.println("results: " + dir.resolve("results.json"));
    }

    private static String rate(double value, String unit) {
        return String.format(Locale.ROOT, value < 100 ? "%,.1f" : "%,.0f", value)
                + (unit.equals("events/s") ? " ev/s" : unit.equals("goals/s") ? " goals/s" : " /s");
    }

    private static String events(long count) {
        return count < 0 ? "?" : count < 10_000 ? String.valueOf(count)
                : count < 10_000_000 ? Math.round(count / 1000.0) + "k"
                : String.format(Locale.ROOT, "%.1fM", count / 1_000_000.0);
    }

    private static String latency(double p50, double p99) {
        return p50 == 0 ? "-" : String.format(Locale.ROOT, "%.0f / %.0f", p50, p99);
    }

    private void write() throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("mode", quick ? "quick" : "full");
        document.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " "
                        + System.getProperty("os.version")));
        List<Map<String, Object>> table = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("workload", row.workload());
            line.put("unit", row.unit());
            line.put("cairn", row.cairn());
            line.put("raw", row.raw());
            line.put("ratio", row.ratio());
            if (row.hand() != 0) {
                line.put("hand", row.hand());
                line.put("ratioHand", row.ratioHand());
                line.put("handP50Us", row.handP50Us());
                line.put("handP99Us", row.handP99Us());
            }
            line.put("logEventsAtEnd", row.logAtEnd());
            line.put("cairnP50Us", row.cairnP50Us());
            line.put("cairnP99Us", row.cairnP99Us());
            line.put("rawP50Us", row.rawP50Us());
            line.put("rawP99Us", row.rawP99Us());
            line.put("cairnPeakHeapBytes", row.cairnPeakHeapBytes());
            table.add(line);
        }
        document.put("workloads", table);
        document.putAll(extra);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(),
                document);
    }
}
