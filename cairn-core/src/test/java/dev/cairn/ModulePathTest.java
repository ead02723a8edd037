package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module {@code dev.cairn} used as a module, which the rest of the suite (on the class path) never does: an
 * application module that requires it is compiled against the compiled classes and run on the module path, in a JVM
 * of its own. It opens a store (migrations are resources of the module), appends a catalogued event (Jackson reads the
 * opened orchestration records), works with a goal and its task graph, and reads through a snapshot.
 */
class ModulePathTest {
    private static final String APP = """
            package app;

            import dev.cairn.Cairn;
            import dev.cairn.events.ExpectedVersion;
            import dev.cairn.events.orchestration.Orchestration;
            import dev.cairn.events.orchestration.ThreadEvent;
            import dev.cairn.goals.GoalSpec;
            import dev.cairn.goals.TaskSpec;
            import java.nio.file.Path;
            import java.time.Duration;
            import java.util.List;

            public class Main {
                public static void main(String[] args) {
                    try (Cairn db = Cairn.open(Path.of(args[0]))) {
                        db.events().append("thread:t1", ExpectedVersion.noStream(), Orchestration.data(
                                new ThreadEvent.Created("t1", "p1", "Fix CI", "model", "main", null)));
                        db.goals().create(GoalSpec.of("g1", "make it work", args[1]));
                        db.goals().tasks().createBatch("g1", List.of(TaskSpec.of("g1", "t1", "first")));
                        var claim = db.goals().tasks().claimTask("g1", "worker", Duration.ofMinutes(1)).orElseThrow();
                        db.goals().tasks().complete(claim, List.of("done"));
                        System.out.println("thread " + db.projections().thread("t1").orElseThrow().title());
                        System.out.println("task " + db.read(tx -> tx.goals().tasks().get("g1", "t1").status()));
                        System.out.println("events " + db.events().replayAll().count());
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void anApplicationModuleOpensAStoreAndUsesIt() throws Exception {
        Path classes = Path.of(Cairn.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(classes.resolve("module-info.class")).as("the compiled module descriptor").exists();
        Path jar = jar(classes, dir.resolve("dev.cairn.jar"));
        // The module's own dependencies, as an application would put them on its module path; test jars stay out.
        List<String> modulePath = new ArrayList<>(List.of(jar.toString()));
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.matches(".*/(sqlite-jdbc|jackson-[a-z0-9-]+|slf4j-api)-[0-9][^/]*\\.jar"))
                .forEach(modulePath::add);
        assertThat(modulePath).as("sqlite-jdbc, Jackson and SLF4J found").hasSizeGreaterThanOrEqualTo(7);
        String path = String.join(File.pathSeparator, modulePath);

        Path source = dir.resolve("src");
        Files.createDirectories(source.resolve("app"));
        Files.writeString(source.resolve("module-info.java"), "module app { requires dev.cairn; }\n");
        Files.writeString(source.resolve("app/Main.java"), APP);
        Path out = dir.resolve("out");
        // The JDK's javac as a process: the tests themselves are compiled into the module, which does not read
        // java.compiler, and an application is compiled on its own anyway.
        String compiled = run(tool("javac"), "-d", out.toString(), "--module-path", path,
                source.resolve("module-info.java").toString(), source.resolve("app/Main.java").toString());
        assertThat(compiled).as("the application module compiles against dev.cairn alone").isEmpty();

        String output = run(tool("java"), "--enable-native-access=org.xerial.sqlitejdbc", "--module-path",
                out + File.pathSeparator + path, "-m", "app/app.Main", dir.resolve("app.db").toString(),
                dir.toString());
        assertThat(output.lines().filter(line -> !line.startsWith("SLF4J")).collect(Collectors.toList()))
                .containsExactly("thread Fix CI", "task done", "events 5");
    }

    /**
     * Packs the compiled classes as a jar, directory entries included, as an application receives the module. (The jar
     * Maven builds also made the module's migrations unreachable through a class loader, which is why MigrationSet
     * reads them through its class; this jar does not reproduce that, so that rule rests on the JDK's documentation.)
     */
    private static Path jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> !f.equals(classes)).sorted().toList()) {
                String name = classes.relativize(file).toString().replace(File.separatorChar, '/');
                boolean directory = Files.isDirectory(file);
                out.putNextEntry(new JarEntry(directory ? name + "/" : name));
                if (!directory) {
                    Files.copy(file, out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /** Runs a command and returns its output; fails unless it exits 0 within two minutes. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in two minutes");
        }
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as("%s exited with:%n%s", command[0], output).isZero();
        return output.trim();
    }
}
