package dev.cairn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Starts real JVM processes on the test class path, for tests of several processes sharing one database. */
public final class Jvm {
    private Jvm() {}

    /**
     * Reads a child's output into {@code lines} as it comes, on a daemon thread of its own (started and returned), so
     * that the child never blocks on a full pipe and the parent sees every line it flushed before it died. Each line
     * is added under the list's monitor, which is notified, so a test can wait on it.
     */
    public static Thread collectLines(Process process, List<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    public static Process start(Class<?> main, String... args) throws IOException {
        return start(List.of(), main, args);
    }

    /**
     * Starts {@code main} in a new JVM of the same Java, with the test class path and output and errors merged.
     * Native access is enabled as for the tests themselves, so that Java 22+ prints no warning about sqlite-jdbc into
     * the output a test reads.
     *
     * @param options JVM options added after the defaults (a later {@code -Xmx} wins)
     */
    public static Process start(List<String> options, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Waits for the process and returns its output; fails the test if it does not exit 0 in time. */
    public static String finish(Process process) throws IOException, InterruptedException {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("child process did not finish in 2 minutes");
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (process.exitValue() != 0) {
            throw new AssertionError("child process exited " + process.exitValue() + ":\n" + output);
        }
        return output;
    }

    /**
     * The child's side of a start barrier: prints {@code READY}, then waits (up to two minutes) until the parent
     * creates {@code go}, so that children and the parent's own threads start their work together.
     */
    public static void readyThenAwait(Path go) {
        System.out.println(READY);
        System.out.flush();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no go signal at " + go + " within 2 minutes");
            }
            LockSupport.parkNanos(200_000);
        }
    }

    public static final String READY = "READY";

    /** Epoch nanoseconds: comparable between processes on one machine, unlike {@link System#nanoTime()}. */
    public static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** When one actor (a thread or a process) did its work, in {@link #now()} time. */
    public record Window(String actor, long start, long end) {
        /** The line a child prints for its window, read back by {@link #parse}. */
        public String line() {
            return "WORKED " + actor + " " + start + " " + end;
        }

        static Window parse(String line) {
            String[] parts = line.split(" ");
            return new Window(parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]));
        }

        /** Whether every window was open at one same moment: the last to start started before the first ended. */
        public static boolean overlap(List<Window> windows) {
            long lastStart = windows.stream().mapToLong(Window::start).max().orElseThrow();
            long firstEnd = windows.stream().mapToLong(Window::end).min().orElseThrow();
            return lastStart < firstEnd;
        }
    }

    /** A child process whose output is read line by line, for a parent that waits until it is ready. */
    public static final class Child {
        private final Process process;
        private final BufferedReader lines;
        private final StringBuilder output = new StringBuilder();

        Child(Process process) {
            this.process = process;
            this.lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Reads until the child prints {@link #READY}; fails if it ends first. */
        public void awaitReady() throws IOException {
            for (String line; (line = lines.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.equals(READY)) {
                    return;
                }
            }
            throw new AssertionError("child process ended before it was ready:\n" + output);
        }

        /** Waits for the child to exit 0 (else fails) and returns all its output. */
        public String finish() throws IOException, InterruptedException {
            for (String line; (line = lines.readLine()) != null; ) {
                output.append(line).append('\n');
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("child process did not finish in 2 minutes");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("child process exited " + process.exitValue() + ":\n" + output);
            }
            return output.toString();
        }

        /** The work window the child printed (see {@link Window#line()}); fails if it printed none. */
        public static Window windowIn(String output) {
            return output.lines().filter(l -> l.startsWith("WORKED ")).map(Window::parse).findFirst()
                    .orElseThrow(() -> new AssertionError("the child printed no work window:\n" + output));
        }
    }

    /** Starts {@code main} as {@link #start} does, as a {@link Child}. */
    public static Child child(Class<?> main, String... args) throws IOException {
        return new Child(start(main, args));
    }

    /** Releases every child waiting in {@link #readyThenAwait}. */
    public static void go(Path go) throws IOException {
        Files.createFile(go);
    }
}
