package dev.cairn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts real JVM processes on the test class path, for tests of several processes sharing one database. */
public final class Jvm {
    private Jvm() {}

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
}
