package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.internal.Sql;
import dev.cairn.maintenance.DoctorReport;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest {
    @TempDir
    Path dir;

    private static DoctorReport.Check check(DoctorReport report, String name) {
        return report.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check named " + name + " in " + report));
    }

    @Test
    void aMissingFileIsNotInitializedYetAndNotCreated() {
        Path file = dir.resolve("nothing-here.db");
        DoctorReport report = Cairn.doctor(file);
        assertThat(report.ok()).isFalse();
        assertThat(check(report, "file").detail()).contains("not initialized yet");
        assertThat(file).doesNotExist();
    }

    @Test
    void aHealthyStorePassesEveryCheck() {
        Path file = dir.resolve("healthy.db");
        try (Cairn db = Cairn.open(file)) {
            Scratch.create(db);
            Scratch.insert(db, 1, "fine");
        }
        DoctorReport report = Cairn.doctor(file);
        assertThat(report.checks()).extracting(DoctorReport.Check::name)
                .containsExactly("file", "schema", "integrity", "wal", "permissions");
        assertThat(report.checks()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
        assertThat(report.ok()).isTrue();
    }

    @Test
    void aDamagedFileIsReportedNotCrashedOn() throws Exception {
        Path file = dir.resolve("damaged.db");
        try (Cairn db = Cairn.open(file)) {
            Scratch.create(db);
            db.useTransaction(tx -> {
                for (int i = 0; i < 500; i++) {
                    Scratch.insert(tx, i, "row " + i + " ".repeat(100));
                }
            });
            db.checkpoint();
        }
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            // Scribble over the middle of the file, past the schema page.
            raw.seek(raw.length() / 2);
            raw.write(new byte[8192]);
            raw.seek(raw.length() / 2 + 8192 + 100);
            raw.write("garbage garbage garbage".repeat(100).getBytes());
        }
        DoctorReport report = Cairn.doctor(file);
        assertThat(report.ok()).isFalse();
        assertThat(check(report, "integrity").ok()).isFalse();
        assertThat(check(report, "integrity").detail()).contains("restore");
    }

    @Test
    void aFileThatIsNotADatabaseIsAFinding() throws Exception {
        Path file = Files.writeString(dir.resolve("text.db"), "hello");
        DoctorReport report = Cairn.doctor(file);
        assertThat(report.ok()).isFalse();
        assertThat(check(report, "file").detail()).contains("not a SQLite database");
    }

    @Test
    void aMismatchedSchemaVersionIsReported() {
        Path file = dir.resolve("mismatch.db");
        try (Cairn db = Cairn.open(file)) {
            db.session().write(c -> Sql.update(c, "UPDATE meta SET schema_version = schema_version + 5"));
        }
        DoctorReport.Check schema = check(Cairn.doctor(file), "schema");
        assertThat(schema.ok()).isFalse();
        assertThat(schema.detail()).contains("meta.schema_version");
    }

    @Test
    void pendingMigrationsAreReportedWithWhatToDo() {
        Path file = dir.resolve("old.db");
        try (Cairn db = Cairn.open(file)) {
            int latest = db.status().codeSchemaVersion();
            db.session().write(c -> {
                Sql.update(c, "DELETE FROM schema_migrations WHERE id = ?", latest);
                return Sql.update(c, "UPDATE meta SET schema_version = ?", latest - 1);
            });
        }
        DoctorReport.Check schema = check(Cairn.doctor(file), "schema");
        assertThat(schema.ok()).isFalse();
        assertThat(schema.detail()).contains("cairn migrate");
    }

    @Test
    void filesOthersCanReadAreReported() throws Exception {
        Path file = dir.resolve("open.db");
        try (Cairn db = Cairn.open(file)) {
            Scratch.create(db);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        DoctorReport.Check permissions = check(Cairn.doctor(file), "permissions");
        assertThat(permissions.ok()).isFalse();
        assertThat(permissions.detail()).contains("open.db rw-r--r--").contains("chmod 600");
    }
}
