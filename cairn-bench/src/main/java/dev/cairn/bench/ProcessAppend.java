package dev.cairn.bench;

import dev.cairn.Cairn;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One of the two processes of the two-process workload: appends single events, each in its own commit, to its own
 * stream of a shared file for a fixed time, then prints how many it appended.
 *
 * <p>The timed window starts only when the parent says "go" on standard input, after both processes have opened the
 * store and warmed up for {@link #WARM_UP} (both at once): JVM start, class loading, a store's migrations check
 * and the JIT's first compilations took over a second of a four-second window, a cost Cairn pays once per process
 * and the few classes of the baselines hardly at all, so counting from process start measured start-up, not appends.
 */
public final class ProcessAppend {
    static final Duration WARM_UP = Duration.ofMillis(1_500);

    private interface Appender extends AutoCloseable {
        void append(long version) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String side = args[0];
        Path file = Path.of(args[1]);
        long millis = Long.parseLong(args[2]);
        String stream = "thread:process-" + ProcessHandle.current().pid();
        try (Appender appender = open(side, file, stream)) {
            long count = 0;
            long warm = System.nanoTime() + WARM_UP.toNanos();
            while (System.nanoTime() < warm) {
                appender.append(count++);
            }
            System.out.println("ready");
            System.out.flush();
            BufferedReader parent = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"go".equals(parent.readLine())) {
                throw new IllegalStateException("the parent did not say go");
            }
            long first = count;
            long until = System.nanoTime() + Duration.ofMillis(millis).toNanos();
            while (System.nanoTime() < until) {
                appender.append(count++);
            }
            System.out.println(count - first);
        }
    }

    /** An appender whose {@code append(n)} writes the stream's event n (its version), in its own commit. */
    private static Appender open(String side, Path file, String stream) throws Exception {
        if (side.equals("cairn")) {
            Cairn db = Cairn.builder().path(file).busyTimeout(Duration.ofSeconds(60)).open();
            return new Appender() {
                public void append(long version) {
                    db.events().append(stream, Workloads.expect(version - 1), List.of(Workloads.event()));
                }

                public void close() {
                    db.close();
                }
            };
        }
        if (side.equals("hand")) {
            HandWrittenEvents hand = new HandWrittenEvents(file, "NORMAL");
            return new Appender() {
                public void append(long version) throws Exception {
                    hand.append(stream, version - 1, 1, Workloads.TYPE, Workloads.PAYLOAD);
                }

                public void close() throws Exception {
                    hand.close();
                }
            };
        }
        RawEvents raw = new RawEvents(file);
        return new Appender() {
            public void append(long version) throws Exception {
                raw.appendOne(stream, version, Workloads.TYPE, Workloads.PAYLOAD);
            }

            public void close() throws Exception {
                raw.close();
            }
        };
    }
}
