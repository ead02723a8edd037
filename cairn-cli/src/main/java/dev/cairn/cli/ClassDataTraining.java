package dev.cairn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * The training run of the launcher's class-data-sharing archive: the common commands, in this one JVM, on a scratch
 * store, so that the classes they load are dumped at exit ({@code -XX:ArchiveClassesAtExit}) and every later command
 * maps them instead of loading, parsing and verifying them again. Started by {@code ./cairn} with
 * {@code -Dcairn.training=true}; it prints nothing and leaves nothing behind.
 */
final class ClassDataTraining {
    private ClassDataTraining() {}

    static int run() throws IOException {
        String nativeDir = System.getProperty("cairn.training.native");
        if (nativeDir != null) {
            extractSqlite(Path.of(nativeDir));
        }
        Path dir = Files.createTempDirectory("cairn-training");
        try {
            String db = dir.resolve("training.db").toString();
            String goal = "g-webhook-retries"; // the demo's goal
            List<List<String>> commands = List.of(
                    List.of("--help"),
                    List.of("goals", "--help"),
                    List.of("--db", db, "demo"),
                    List.of("--db", db, "status"),
                    List.of("--db", db, "status", "--json"),
                    List.of("--db", db, "doctor"),
                    List.of("--db", db, "goals"),
                    List.of("--db", db, "goals", "--json"),
                    List.of("--db", db, "goals", "--orphaned"),
                    List.of("--db", db, "goal", goal),
                    List.of("--db", db, "goal", "show", goal, "--json"),
                    List.of("--db", db, "goal", "pause", goal, "--dry-run"),
                    List.of("--db", db, "leases"),
                    List.of("--db", db, "leases", "--json"),
                    List.of("--db", db, "events", "--limit", "20"),
                    List.of("--db", db, "events", "--limit", "20", "--json"),
                    List.of("--db", db, "runs"),
                    List.of("--db", db, "audit"),
                    List.of("--db", db, "threads"),
                    List.of("--db", db, "projections", "status"),
                    List.of("--db", db, "migrate"));
            PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
            for (List<String> args : commands) {
                // What a command answers does not matter here, only the classes it loads; a failure loads classes too.
                CairnCommand.run(nowhere, nowhere, args.toArray(String[]::new));
            }
            return ExitCodes.OK;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Copies this jar's SQLite native library for this platform into {@code dir}, so that the launcher can name it
     * ({@code org.sqlite.lib.path}) and spare every command sqlite-jdbc's probing of the platform and its copy of
     * the library into a temporary file.
     */
    private static void extractSqlite(Path dir) throws IOException {
        String name = LibraryLoaderUtil.getNativeLibName();
        try (InputStream library = SQLiteJDBCLoader.class.getResourceAsStream(
                LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name)) {
            if (library != null) {
                Files.createDirectories(dir);
                Files.copy(library, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
