package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.maintenance.BackupOptions;
import dev.cairn.maintenance.BackupResult;
import dev.cairn.maintenance.CheckpointResult;
import dev.cairn.maintenance.StoreStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceTest {
    @TempDir
    Path dir;

    @Test
    void backupWhileAnotherThreadWritesIsConsistentPrivateAndPassesIntegrityCheck() throws Exception {
        Path file = dir.resolve("live.db");
        Path copy = dir.resolve("backups/live-copy.db");
        long rowsInCopy;
        try (Cairn db = Cairn.open(file)) {
            Scratch.create(db);
            for (int i = 0; i < 2_000; i++) {
                Scratch.insert(db, i, "row " + i + " " + "x".repeat(2_000));
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong next = new AtomicLong(2_000);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    long id = next.getAndIncrement();
                    db.useTransaction(tx -> {
                        // Two rows per transaction: a consistent copy never holds one without the other.
                        Scratch.insert(tx, id * 2 + 1_000_000, "pair " + id);
                        Scratch.insert(tx, id * 2 + 1_000_001, "pair " + id);
                    });
                }
            });
            // The copy must hold some pairs, or the check below that none is torn would pass on nothing.
            long firstPairs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (next.get() < 2_010 && System.nanoTime() < firstPairs) {
                Thread.onSpinWait();
            }
            List<long[]> steps = new ArrayList<>();
            BackupResult result = db.backupTo(copy, BackupOptions.defaults().withProgress((copied, total) -> {
                steps.add(new long[] {copied, total});
                // Let the writer commit more pairs between two steps of the copy.
                long seen = next.get();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (next.get() < seen + 3 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }));
            stop.set(true);
            writer.get(1, TimeUnit.MINUTES);

            assertThat(result.path()).isEqualTo(copy.toAbsolutePath());
            assertThat(result.bytes()).isEqualTo(Files.size(copy));
            assertThat(steps).hasSizeGreaterThan(2); // several steps, with writes committed in between
            assertThat(steps.get(steps.size() - 1)[0]).isEqualTo(steps.get(steps.size() - 1)[1]);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");
            assertThat(Files.list(copy.getParent()).map(p -> p.getFileName().toString()))
                    .containsExactly("live-copy.db");
        }
        try (Cairn restored = Cairn.open(copy)) {
            assertThat(restored.integrityCheck().ok()).isTrue();
            long rows = restored.session().read(c -> dev.cairn.internal.Sql.longValue(c,
                    "SELECT count(*) FROM scratch WHERE id >= 1000000", 0));
            // A row whose partner (the other row of its transaction) is missing: the copy would not be one snapshot.
            long torn = restored.session().read(c -> dev.cairn.internal.Sql.longValue(c,
                    "SELECT count(*) FROM scratch a WHERE a.id >= 1000000 AND NOT EXISTS (SELECT 1 FROM scratch b "
                            + "WHERE b.id = CASE WHEN a.id % 2 = 0 THEN a.id + 1 ELSE a.id - 1 END)", -1));
            assertThat(rows).as("rows of pairs in the copy").isPositive();
            assertThat(torn).as("rows of pairs without their partner").isZero();
            assertThat(Scratch.count(restored)).isGreaterThanOrEqualTo(2_000 + rows);
            rowsInCopy = rows;
        }
        try (Cairn source = Cairn.open(file)) {
            long rows = source.session().read(c -> dev.cairn.internal.Sql.longValue(c,
                    "SELECT count(*) FROM scratch WHERE id >= 1000000", 0));
            assertThat(rows).as("pairs committed while the copy ran are not in it").isGreaterThan(rowsInCopy);
        }
    }

    @Test
    void aStoreOpenedReadOnlyBacksUpAReadOnlyFileInAReadOnlyDirectory() throws Exception {
        Path sealed = dir.resolve("sealed");
        Files.createDirectories(sealed);
        Path file = sealed.resolve("ro.db");
        try (Cairn db = Cairn.open(file)) {
            db.events().append("note:1", dev.cairn.events.ExpectedVersion.any(),
                    dev.cairn.events.EventData.of("note.added", "{\"n\":1}"));
        }
        Path copy = dir.resolve("copy.db");
        ReadOnlyFiles.seal(file, sealed);
        try {
            try (Cairn db = Cairn.builder().path(file).readOnly(true).open()) {
                assertThat(db.backupTo(copy).bytes()).isPositive();
            }
            // Control: opened for writing, the same file is refused, so the test above ran on a read-only file.
            assertThatThrownBy(() -> Cairn.open(file)).isInstanceOf(ReadOnlyException.class);
        } finally {
            ReadOnlyFiles.unseal(file, sealed);
        }
        try (Cairn restored = Cairn.builder().path(copy).readOnly(true).open()) {
            assertThat(restored.events().lastPosition().sequence()).isEqualTo(1);
        }
        assertThat(Files.list(sealed).map(p -> p.getFileName().toString()).toList()).containsExactly("ro.db");
    }

    @Test
    void backupRefusesAnExistingFileUnlessToldToOverwrite() throws Exception {
        Path file = dir.resolve("src.db");
        Path existing = Files.writeString(dir.resolve("existing.db"), "precious");
        try (Cairn db = Cairn.open(file)) {
            Scratch.create(db);
            Scratch.insert(db, 1, "v1");
            assertThatThrownBy(() -> db.backupTo(existing))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining(existing.toString())
                    .hasMessageContaining("withOverwrite(true)")
                    .hasMessageNotContaining("--"); // the library names its option; the CLI adds its flag
            assertThat(Files.readString(existing)).isEqualTo("precious");
            assertThatThrownBy(() -> db.backupTo(file)).isInstanceOf(InvalidInputException.class);

            db.backupTo(existing, BackupOptions.defaults().withOverwrite(true));
        }
        try (Cairn copy = Cairn.open(existing)) {
            assertThat(Scratch.values(copy)).containsExactly("v1");
        }
    }

    @Test
    void vacuumIntoWritesACompactedPrivateCopyAndVacuumShrinks() throws Exception {
        Path file = dir.resolve("big.db");
        Path compact = dir.resolve("compact.db");
        try (Cairn db = Cairn.open(file)) {
            Scratch.create(db);
            db.useTransaction(tx -> {
                for (int i = 0; i < 3_000; i++) {
                    Scratch.insert(tx, i, "y".repeat(500));
                }
            });
            db.session().write(c -> dev.cairn.internal.Sql.update(c, "DELETE FROM scratch WHERE id >= 10"));
            db.checkpoint();
            long before = db.status().fileBytes();

            BackupResult copy = db.vacuumInto(compact);
            assertThat(copy.bytes()).isLessThan(before);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(compact))).isEqualTo("rw-------");
            assertThatThrownBy(() -> db.vacuumInto(compact)).isInstanceOf(ConflictException.class);

            db.vacuum();
            CheckpointResult checkpoint = db.checkpoint();
            assertThat(checkpoint.complete()).isTrue();
            assertThat(db.status().fileBytes()).isLessThan(before);
            assertThat(db.status().walBytes()).isZero();
            assertThat(Scratch.count(db)).isEqualTo(10);
        }
        try (Cairn copy = Cairn.open(compact)) {
            assertThat(Scratch.count(copy)).isEqualTo(10);
        }
    }

    @Test
    void statusReportsVersionsSizesAndRowCounts() {
        try (Cairn db = Cairn.open(dir.resolve("status.db"))) {
            Scratch.create(db);
            Scratch.insert(db, 1, "a");
            StoreStatus status = db.status();
            assertThat(status.dialect()).isEqualTo("sqlite");
            assertThat(status.schemaVersion()).isEqualTo(status.codeSchemaVersion()).isPositive();
            assertThat(status.appVersion()).isEqualTo(Cairn.version());
            assertThat(status.pending()).isEmpty();
            assertThat(status.fileBytes()).isPositive();
            assertThat(status.rowCounts()).containsEntry("scratch", 1L).containsEntry("meta", 1L)
                    .containsKey("schema_migrations");
            assertThat(new ArrayList<>(status.rowCounts().keySet())).isSorted();
        }
    }

    @Test
    void integrityCheckListsForeignKeyProblems() throws Exception {
        Path file = dir.resolve("fk.db");
        try (Cairn db = Cairn.open(file)) {
            db.session().write(c -> {
                dev.cairn.internal.Sql.update(c, "CREATE TABLE p (id INTEGER PRIMARY KEY)");
                return dev.cairn.internal.Sql.update(c,
                        "CREATE TABLE ch (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p(id))");
            });
            // Another tool, connecting without foreign-key enforcement, writes an orphan row.
            try (var raw = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                    var statement = raw.createStatement()) {
                statement.execute("INSERT INTO ch (id, p) VALUES (1, 99)");
            }
            assertThat(db.integrityCheck().ok()).isFalse();
            assertThat(db.integrityCheck().problems()).singleElement().asString()
                    .contains("row 1 of ch").contains("missing row of p");
        }
    }
}
