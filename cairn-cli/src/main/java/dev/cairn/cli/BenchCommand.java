package dev.cairn.cli;

import dev.cairn.NotSupportedException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cairn bench}: the benchmark suite, which is a jar of its own (JMH is no dependency of the CLI). The launcher
 * {@code ./cairn} builds and runs that jar itself; this command runs it when the CLI jar is started directly from a
 * checkout where it was built.
 */
@Command(name = "bench", description = {"Run the benchmark suite against the raw driver.",
    "It is the jar cairn-bench/target/cairn-bench.jar, which ./cairn bench builds when needed; see "
        + "docs/benchmarks.md."})
final class BenchCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Option(names = "--quick", description = "Fewer and shorter iterations, for a smoke run.")
    boolean quick;

    @Option(names = "--only", paramLabel = "REGEX", description = "Only the workloads whose name matches.")
    String only;

    @Option(names = "--postgres", paramLabel = "URL", description = "Also the PostgreSQL rows, on this server.")
    String postgres;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path jar = benchJar();
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new NotSupportedException("the benchmark suite is its own jar (cairn-bench/target/cairn-bench.jar) "
                    + "and it is not built beside this CLI; run './cairn bench' in a Cairn checkout, which builds it");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        if (quick) {
            command.add("--quick");
        }
        if (only != null) {
            command.addAll(List.of("--only", only));
        }
        if (postgres != null) {
            command.addAll(List.of("--postgres", postgres));
        }
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /** {@code cairn-bench/target/cairn-bench.jar} of the checkout this CLI jar was built in, if it runs from one. */
    private static Path benchJar() {
        try {
            Path cli = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = cli.getParent();
            if (target == null || target.getParent() == null || target.getParent().getParent() == null) {
                return null;
            }
            return target.getParent().getParent().resolve("cairn-bench/target/cairn-bench.jar");
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }
}
