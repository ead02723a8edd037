package dev.cairn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes files and directories really read-only for a test: mode 0444/0555, and where the tests run as root (which
 * ignores modes) also the immutable attribute, which root's writes respect too. Skips the test where neither works.
 */
public final class ReadOnlyFiles {
    private ReadOnlyFiles() {}

    public static void seal(Path... paths) throws IOException, InterruptedException {
        for (Path path : paths) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "r-xr-xr-x"
                    : "r--r--r--"));
            if (Files.isWritable(path)) {
                chattr("+i", path);
            }
            assumeTrue(!Files.isWritable(path), "cannot make " + path + " read-only here");
        }
    }

    public static void unseal(Path... paths) throws IOException, InterruptedException {
        for (Path path : paths) {
            chattr("-i", path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------"
                    : "rw-------"));
        }
    }

    private static void chattr(String flag, Path path) throws IOException, InterruptedException {
        try {
            new ProcessBuilder("chattr", flag, path.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            // no chattr here: seal() then skips the test
        }
    }
}
