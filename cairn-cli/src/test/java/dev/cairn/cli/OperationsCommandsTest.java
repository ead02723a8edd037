package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.Cairn;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationsCommandsTest {
    @TempDir
    Path dir;

    @Test
    void migrateCreatesTheDatabaseAndReportsWhatItApplied() {
        Path db = dir.resolve("new/cairn.db");
        Cli first = Cli.run("--db", db.toString(), "migrate");
        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).contains("applied 0001_foundation.sql").contains("schema version");
        Cli again = Cli.run("migrate", "--db", db.toString(), "--json");
        assertThat(again.exitCode()).isZero();
        JsonNode json = again.json();
        assertThat(json.get("applied").isEmpty()).isTrue();
        assertThat(json.get("schemaVersion").asInt()).isPositive();
    }

    @Test
    void statusOnAMissingDatabaseSaysNotInitializedAndExitsOne() {
        Path db = dir.resolve("absent.db");
        Cli text = Cli.run("--db", db.toString(), "status");
        assertThat(text.exitCode()).isEqualTo(1);
        assertThat(text.err().strip()).startsWith("cairn: not initialized yet").doesNotContain("\n");
        Cli json = Cli.run("--db", db.toString(), "status", "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.json().get("initialized").asBoolean()).isFalse();
        assertThat(db).doesNotExist();
    }

    @Test
    void statusJsonHasVersionsMigrationsSizesAndRowCounts() {
        Path db = dir.resolve("s.db");
        Cairn.open(db).close();
        Cli cli = Cli.run("--db", db.toString(), "--json", "status");
        assertThat(cli.exitCode()).isZero();
        JsonNode json = cli.json();
        assertThat(json.get("initialized").asBoolean()).isTrue();
        assertThat(json.get("schemaVersion").asInt()).isEqualTo(json.get("codeSchemaVersion").asInt());
        assertThat(json.get("migrations").get(0).get("appliedAt").isTextual()).isTrue();
        assertThat(json.get("rowCounts").get("meta").asLong()).isEqualTo(1);
        assertThat(json.has("fileBytes")).isTrue();
        assertThat(json.has("walBytes")).isTrue();
        Cli text = Cli.run("--db", db.toString(), "status");
        assertThat(text.out()).contains("schema version").contains("0001_foundation.sql");
    }

    @Test
    void doctorExitCodesAndJsonShape() throws Exception {
        Path missing = dir.resolve("missing.db");
        Cli none = Cli.run("--db", missing.toString(), "doctor", "--json");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.json().get("ok").asBoolean()).isFalse();
        assertThat(none.json().get("checks").get(0).get("detail").asText()).contains("not initialized yet");

        Path healthy = dir.resolve("healthy.db");
        Cairn.open(healthy).close();
        Cli ok = Cli.run("--db", healthy.toString(), "doctor", "--json");
        assertThat(ok.exitCode()).isZero();
        JsonNode json = ok.json();
        assertThat(json.get("ok").asBoolean()).isTrue();
        for (JsonNode check : json.get("checks")) {
            assertThat(check.fieldNames()).toIterable().containsExactly("name", "ok", "detail");
        }
        Cli text = Cli.run("--db", healthy.toString(), "doctor");
        assertThat(text.out().lines()).allMatch(line -> line.startsWith("ok "));

        Files.setPosixFilePermissions(healthy, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Cli problem = Cli.run("--db", healthy.toString(), "doctor");
        assertThat(problem.exitCode()).isEqualTo(1);
        assertThat(problem.out()).contains("PROBLEM  permissions");
    }

    @Test
    void backupRefusesAnExistingDestinationWithoutForce() throws Exception {
        Path db = dir.resolve("b.db");
        Cairn.open(db).close();
        Path dest = dir.resolve("copy.db");
        Cli first = Cli.run("--db", db.toString(), "backup", dest.toString(), "--json");
        assertThat(first.exitCode()).isZero();
        assertThat(first.json().get("bytes").asLong()).isEqualTo(Files.size(dest));

        Cli refused = Cli.run("--db", db.toString(), "backup", dest.toString());
        assertThat(refused.exitCode()).isEqualTo(4);
        assertThat(refused.err().strip()).contains(dest.toString()).contains("--force").doesNotContain("\n");
        assertThat(refused.err()).doesNotContain("Exception");

        assertThat(Cli.run("--db", db.toString(), "backup", dest.toString(), "--force").exitCode()).isZero();
    }

    @Test
    void vacuumInPlaceAndInto() {
        Path db = dir.resolve("v.db");
        Cairn.open(db).close();
        Cli inPlace = Cli.run("--db", db.toString(), "vacuum", "--json");
        assertThat(inPlace.exitCode()).isZero();
        assertThat(inPlace.json().has("bytesAfter")).isTrue();
        Path into = dir.resolve("compact.db");
        Cli copy = Cli.run("--db", db.toString(), "vacuum", "--into", into.toString());
        assertThat(copy.exitCode()).isZero();
        assertThat(into).exists();
    }

    @Test
    void errorsAreOneLineWithTypedExitCodesAndTracesOnlyWhenVerbose() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.db"), "plain text");
        Cli storage = Cli.run("--db", notes.toString(), "migrate");
        assertThat(storage.exitCode()).isEqualTo(7);
        assertThat(storage.err().strip()).startsWith("cairn: ").contains("not a SQLite database")
                .doesNotContain("\n");
        Cli verbose = Cli.run("--db", notes.toString(), "migrate", "--verbose");
        assertThat(verbose.exitCode()).isEqualTo(7);
        assertThat(verbose.err()).contains("NotADatabaseException").contains("\tat ");

        Cli usage = Cli.run("status", "--no-such-option");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err().strip()).contains("--no-such-option").doesNotContain("\n");
        assertThat(Cli.run("frobnicate").exitCode()).isEqualTo(2);
    }

    @Test
    void versionAndHelp() {
        Cli version = Cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("cairn ");
        Cli help = Cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("migrate", "status", "doctor", "backup", "vacuum", "demo", "Exit codes");
    }

    @Test
    void everyCommandThatNeedsTheTablesSaysMigrateFirstOnAnEmptyFile() throws Exception {
        Path empty = dir.resolve("crashed.db");
        Files.createFile(empty); // what a crash during the very first open leaves
        for (String[] command : new String[][] {{"events"}, {"threads"}, {"thread", "t1"}, {"projections", "status"},
                {"projections", "rebuild"}, {"runs"}, {"goal", "g1"}, {"goals"}, {"audit"}}) {
            String[] args = new String[command.length + 2];
            args[0] = "--db";
            args[1] = empty.toString();
            System.arraycopy(command, 0, args, 2, command.length);
            Cli result = Cli.run(args);
            assertThat(result.exitCode()).as(String.join(" ", command)).isEqualTo(6);
            assertThat(result.err().strip()).as(String.join(" ", command)).startsWith("cairn: ")
                    .endsWith("run 'cairn migrate' first").doesNotContain("\n");
        }
        assertThat(Files.size(empty)).as("nothing migrated the file").isZero();
    }

    @Test
    void aJdbcUrlOfAnotherDatabaseIsRefusedBeforeAnythingIsCreated() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        for (String command : new String[] {"migrate", "status", "events"}) {
            Cli result = Cli.run("--db", "jdbc:mysql://localhost/cairn?user=u&password=secret", command);
            assertThat(result.exitCode()).as(command).isEqualTo(2);
            assertThat(result.err().strip()).as(command).startsWith("cairn: unsupported database URL jdbc:mysql:")
                    .doesNotContain("secret").doesNotContain("\n");
        }
        assertThat(Files.exists(cwd.resolve("jdbc:mysql:"))).isFalse();
    }

    @Test
    void backupCopiesAReadOnlyFileInAReadOnlyDirectory() throws Exception {
        Path sealed = dir.resolve("sealed");
        Files.createDirectories(sealed);
        Path db = sealed.resolve("ro.db");
        Cairn.open(db).close();
        Path dest = dir.resolve("copy.db");
        seal(db, sealed);
        try {
            Cli backup = Cli.run("--db", db.toString(), "backup", dest.toString(), "--json");
            assertThat(backup.exitCode()).as(backup.err()).isZero();
            assertThat(backup.json().get("database").asText()).isEqualTo(db.toString());
            // Control: a command that writes is refused on the same file, so the backup ran on a read-only one.
            assertThat(Cli.run("--db", db.toString(), "migrate").exitCode()).isEqualTo(7);
        } finally {
            unseal(db, sealed);
        }
        Cli restored = Cli.run("--db", dest.toString(), "status", "--json");
        assertThat(restored.exitCode()).as(restored.err()).isZero();
        assertThat(restored.json().get("schemaVersion").asInt()).isPositive();
    }

    /** Read-only for real: mode 0444/0555, and the immutable attribute where tests run as root. */
    private static void seal(Path... paths) throws Exception {
        for (Path path : paths) {
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(
                    Files.isDirectory(path) ? "r-xr-xr-x" : "r--r--r--"));
            if (Files.isWritable(path)) {
                new ProcessBuilder("chattr", "+i", path.toString()).start().waitFor();
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(!Files.isWritable(path), "cannot seal " + path);
        }
    }

    private static void unseal(Path... paths) throws Exception {
        for (Path path : paths) {
            new ProcessBuilder("chattr", "-i", path.toString()).start().waitFor();
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(
                    Files.isDirectory(path) ? "rwx------" : "rw-------"));
        }
    }
}
