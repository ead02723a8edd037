package dev.cairn.internal.migration;

import dev.cairn.internal.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ordered migrations of one dialect, read from the classpath. A directory in a jar cannot be listed, so each
 * directory has an {@code index} file naming its migrations in order; a test checks that index and directory agree.
 */
public record MigrationSet(String resourceDirectory, List<Migration> migrations) {
    public static MigrationSet load(String resourceDirectory) {
        String dir = resourceDirectory.endsWith("/") ? resourceDirectory : resourceDirectory + "/";
        List<Migration> migrations = new ArrayList<>();
        for (String line : read(dir + "index").split("\n")) {
            String fileName = line.strip();
            if (fileName.isEmpty() || fileName.startsWith("#")) {
                continue;
            }
            Migration migration = Migration.of(fileName, read(dir + fileName));
            int expected = migrations.size() + 1;
            if (migration.version() != expected) {
                throw new IllegalStateException(dir + "index lists " + fileName + " where migration " + expected
                        + " belongs: migrations are numbered 1, 2, 3 ... without gaps");
            }
            migrations.add(migration);
        }
        return new MigrationSet(dir, List.copyOf(migrations));
    }

    /** The built-in migrations of a dialect. */
    public static MigrationSet forDialect(Dialect dialect) {
        return forDialect(dialect.name());
    }

    /** The built-in migrations of the dialect of that name ({@code sqlite} or {@code postgresql}). */
    public static MigrationSet forDialect(String dialect) {
        return load("dev/cairn/migrations/" + dialect);
    }

    public int latestVersion() {
        return migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
    }

    private static String read(String resource) {
        // Through the class, not its loader: on the module path a module's resources in its own package directories
        // are found only by the module's own classes (a class loader does not see into an unopened package).
        try (InputStream in = MigrationSet.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " in the Cairn jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + resource + ": " + e.getMessage(), e);
        }
    }
}
