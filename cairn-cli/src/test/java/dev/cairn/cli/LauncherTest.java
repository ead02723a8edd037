package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./cairn} on the jar this build made ({@code CAIRN_JAR}; it never starts a build): it trains a
 * class-data archive once per jar and uses it, trains again when the jar changes, and a broken or foreign archive
 * never stops a command nor puts a word into its output. Runs after {@code package} (the surefire execution
 * "launcher" of this module's pom), with the JDK running the tests.
 */
class LauncherTest {
    @TempDir
    Path dir;

    Path launcher;
    Path builtJar;
    Path jar;
    String db;

    record Run(int exitCode, String out, String err) {}

    @BeforeEach
    void aCopyOfTheBuiltJar() throws IOException {
        String built = System.getProperty("cairn.jar");
        assumeTrue(built != null && Files.isRegularFile(Path.of(built)), "runs after package, in the surefire "
                + "execution 'launcher' (cairn.jar is not set here)");
        builtJar = Path.of(built);
        launcher = Path.of(System.getProperty("cairn.launcher"));
        jar = dir.resolve("a/cairn.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(builtJar, jar);
        db = dir.resolve("store.db").toString();
    }

    Run cairn(Path jar, String... args) throws IOException, InterruptedException {
        return cairn(jar, Map.of(), args);
    }

    Run cairn(Path jar, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CAIRN_JAR", jar.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("HOME", dir.toString());
        builder.environment().remove("CAIRN_JAVA_OPTS");
        builder.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int code = process.waitFor();
        return new Run(code, Files.readString(out), Files.readString(err));
    }

    /** The archive of {@code jar}, which the launcher keeps beside it. */
    static Path archive(Path jar) throws IOException {
        try (Stream<Path> files = Files.list(jar.resolveSibling(".cairn-cds"))) {
            return files.filter(p -> p.toString().endsWith(".jsa")).findFirst().orElseThrow();
        }
    }

    /**
     * Runs {@code goals --json} logging where each class came from: the output must be the JSON document alone,
     * and returns whether this Cairn's own classes came from the archive.
     */
    boolean goalsUseTheArchive(Path jar) throws IOException, InterruptedException {
        Path log = dir.resolve("classes.log");
        Files.deleteIfExists(log);
        Run run = cairn(jar, Map.of("CAIRN_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), "--db", db, "goals",
                "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(JsonOutput.parse(run.out()).get("goals").isArray()).isTrue();
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines).anyMatch(l -> l.contains("dev.cairn.cli.CairnCommand "));
        return lines.stream().anyMatch(l -> l.contains("dev.cairn.cli.CairnCommand source: shared objects file"));
    }

    @Test
    void theArchiveIsTrainedUsedAndTrainedAgainWhenTheJarChanges() throws Exception {
        Run migrate = cairn(jar, "--db", db, "migrate");
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        Path archive = archive(jar);
        assertThat(Files.size(archive)).isPositive();
        FileTime trained = Files.getLastModifiedTime(archive);
        assertThat(goalsUseTheArchive(jar)).isTrue();
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(trained);
        // Without it, as a control: the same classes come from the jar.
        Path log = dir.resolve("classes.log");
        Run plain = cairn(jar, Map.of("CAIRN_CDS", "0", "CAIRN_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
                "--db", db, "goals");
        assertThat(plain.exitCode()).isZero();
        assertThat(Files.readString(log)).contains("dev.cairn.cli.CairnCommand source: file:");

        // A new jar (a build): the JVM would refuse the old archive, so the launcher must train a new one.
        Files.copy(builtJar, jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
        assertThat(goalsUseTheArchive(jar)).isTrue();
        assertThat(Files.getLastModifiedTime(archive(jar))).isGreaterThan(Files.getLastModifiedTime(jar));
    }

    /** Runs the launcher on a pseudo-terminal (util-linux script), typing {@code input}. */
    Run onTerminal(String input, Map<String, String> env, String... args) throws IOException, InterruptedException {
        StringBuilder line = new StringBuilder(Shell.quote(launcher.toString()));
        for (String arg : args) {
            line.append(' ').append(Shell.quote(arg));
        }
        ProcessBuilder builder = new ProcessBuilder("script", "-qec", line.toString(), "/dev/null");
        builder.environment().put("CAIRN_JAR", jar.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("TERM", "xterm");
        builder.environment().put("CAIRN_CDS", "0"); // what it shows does not depend on the archive; no training
        builder.environment().remove("NO_COLOR");
        builder.environment().remove("CI");
        builder.environment().putAll(env);
        Process process = builder.redirectErrorStream(true).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), out, "");
    }

    @Test
    void colourOnlyOnATerminalNeverWithNoColorAndRepairsAskThere() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs util-linux script for a terminal");
        Map<String, String> noArchive = Map.of("CAIRN_CDS", "0");
        assertThat(cairn(jar, noArchive, "--db", db, "migrate").exitCode()).isZero();
        // The control: on a terminal, picocli's help is in colour.
        assertThat(onTerminal("", Map.of(), "--help").out()).contains("\u001b[");
        assertThat(onTerminal("", Map.of("NO_COLOR", "1"), "--help").out()).doesNotContain("\u001b[")
                .contains("Usage: cairn");
        assertThat(cairn(jar, noArchive, "--help").out()).doesNotContain("\u001b[").contains("Usage: cairn");

        try (dev.cairn.Cairn store = dev.cairn.Cairn.open(db)) {
            store.goals().create(dev.cairn.goals.GoalSpec.of("g", "Pause me", "/p"));
            store.goals().start("g");
        }
        Run declined = onTerminal("n\n", Map.of(), "--db", db, "goal", "pause", "g");
        assertThat(declined.exitCode()).as(declined.out()).isEqualTo(1);
        assertThat(declined.out()).contains("goal g will be paused: running → paused").contains("Proceed? [y/N]")
                .contains("not confirmed; nothing was changed");
        assertThat(status()).isEqualTo("running");
        Run confirmed = onTerminal("y\n", Map.of(), "--db", db, "goal", "pause", "g");
        assertThat(confirmed.exitCode()).as(confirmed.out()).isZero();
        assertThat(confirmed.out()).contains("goal g paused: running → paused");
        assertThat(status()).isEqualTo("paused");
        // Off a terminal it never asks: it needs --yes.
        Run script = cairn(jar, noArchive, "--db", db, "goal", "resume", "g");
        assertThat(script.exitCode()).isEqualTo(2);
        assertThat(script.err()).contains("no terminal to confirm on: add --yes");
        assertThat(status()).isEqualTo("paused");
    }

    private String status() {
        try (dev.cairn.Cairn store = dev.cairn.Cairn.open(db)) {
            return store.goals().get("g").status().storedName();
        }
    }

    @Test
    void aBrokenOrForeignArchiveNeverStopsTheCli() throws Exception {
        assertThat(cairn(jar, "--db", db, "migrate").exitCode()).isZero();
        Path archive = archive(jar);

        // Garbage in place of the archive, newer than the jar so that the launcher hands it to the JVM.
        Files.delete(archive);
        Files.write(archive, "not an archive at all".repeat(1000).getBytes(StandardCharsets.UTF_8));
        assertThat(goalsUseTheArchive(jar)).isFalse();
        Files.delete(archive);
        Files.write(archive, new byte[0]);
        assertThat(goalsUseTheArchive(jar)).isFalse();

        // The archive of another jar (same classes, another file): the JVM refuses it, the command runs.
        Path other = dir.resolve("b/cairn.jar");
        Files.createDirectories(other.getParent());
        Files.copy(builtJar, other);
        assertThat(cairn(other, "--db", db, "status").exitCode()).isZero();
        Files.copy(archive(other), archive, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now()));
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(Files.getLastModifiedTime(jar));
        assertThat(goalsUseTheArchive(jar)).isFalse();

        // An error of the command itself still reads as one line, with its exit code.
        Run missing = cairn(jar, "--db", db, "goal", "ghost");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err().strip()).isEqualTo("cairn: goal ghost does not exist; list goals with 'cairn goals'");
    }
}
