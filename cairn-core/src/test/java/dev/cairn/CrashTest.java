package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.orchestration.Orchestration;
import dev.cairn.events.orchestration.Role;
import dev.cairn.events.orchestration.ThreadEvent;
import dev.cairn.internal.Sql;
import dev.cairn.maintenance.BackupOptions;
import dev.cairn.projections.ProjectorStatus;
import dev.cairn.projections.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills on a SQLite file (see {@link CrashContract}), and the crashes only a file has: in the first open's migrations,
 * in a projection rebuild, in a backup.
 */
class CrashTest extends CrashContract {
    @TempDir
    Path dir;

    @Override
    String store() {
        return dir.resolve("crash.db").toString();
    }

    @Test
    void aKillDuringTheFirstOpensMigrationsLeavesAFileThatOpensAndMigrates() throws Exception {
        int killedBeforeOpened = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            Path file = dir.resolve("fresh-" + trial + "/new.db");
            List<String> lines;
            try (Child child = new Child(CrashMain.class, "open", file.toString())) {
                child.await("opening"::equals, 1);
                // Creating and migrating a file takes some tens of milliseconds here: spread the kills over it.
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, 40));
                lines = child.kill();
            }
            if (!lines.contains("opened")) {
                killedBeforeOpened++;
            }
            if (Files.exists(file)) {
                try (Cairn cairn = Cairn.open(file)) {
                    long applied = cairn.session().read(c -> Sql.longValue(c,
                            "SELECT count(*) FROM schema_migrations", -1));
                    assertThat(applied).isEqualTo(cairn.status().codeSchemaVersion());
                    assertThat(cairn.status().rowCounts()).containsEntry("store_identity", 1L);
                    cairn.events().append("after:crash", ExpectedVersion.noStream(), EventData.of("x.y", "{}"));
                }
                assertDoctorOk(file.toString());
            }
        }
        assertThat(killedBeforeOpened).as("kills that landed before the open finished").isPositive();
    }

    @Test
    void aKillDuringAProjectionRebuildLeavesProjectionsThatARebuildRestores() throws Exception {
        String db = store();
        try (Cairn cairn = Cairn.open(db)) {
            for (int t = 0; t < 40; t++) {
                String thread = "t" + t;
                cairn.events().append("thread:" + thread, ExpectedVersion.noStream(), Orchestration.data(
                        new ThreadEvent.Created(thread, "p", "Thread " + t, "model", "main", null)));
                for (int m = 0; m < 60; m++) {
                    cairn.events().append("thread:" + thread, ExpectedVersion.any(), Orchestration.data(
                            new ThreadEvent.MessageSent(thread, thread + "-m" + m, null, Role.USER, "text " + m, false)));
                }
            }
        }
        Map<String, List<List<Object>>> expected = Tables.snapshot(db);
        int killedMidway = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            List<String> lines = killInside(new Child(CrashMain.class, "rebuild", db), 1);
            if (!lines.contains("rebuilt")) {
                killedMidway++;
            }
            try (Cairn cairn = Cairn.open(db)) {
                if (cairn.projections().status().stream().allMatch(ProjectorStatus::caughtUp)) {
                    assertThat(Tables.snapshot(db)).isEqualTo(expected);
                }
                cairn.projections().rebuild((position, head) -> { });
                assertThat(Tables.snapshot(db)).isEqualTo(expected);
            }
            assertDoctorOk(db);
        }
        assertThat(killedMidway).as("kills that landed inside a rebuild").isPositive();
    }

    @Test
    void aKillDuringABackupLeavesNoHalfCopyAndTheNextBackupCleansUp() throws Exception {
        String db = store();
        try (Cairn cairn = Cairn.open(db)) {
            for (int i = 0; i < 20; i++) {
                cairn.events().append("s:" + i, ExpectedVersion.noStream(), java.util.stream.IntStream.range(0, 100)
                        .mapToObj(n -> EventData.of("x.y", "{\"padding\":\"" + "p".repeat(400) + "\"}")).toList());
            }
        }
        Path backups = Files.createDirectories(dir.resolve("backups"));
        Path copy = backups.resolve("copy.db");
        int killedMidway = 0;
        // A kill lands inside a copy only some of the time (a small store copies in a few milliseconds): go on past
        // TRIALS, a bounded number of times, until one has.
        for (int trial = 0; trial < TRIALS || killedMidway == 0 && trial < TRIALS + 10; trial++) {
            try (Child child = new Child(CrashMain.class, "backup", db, copy.toString())) {
                child.await(l -> l.startsWith("ack "), ThreadLocalRandom.current().nextInt(1, 3));
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, 30));
                child.kill();
            }
            try (Stream<Path> left = Files.list(backups)) {
                if (left.anyMatch(p -> !p.equals(copy))) {
                    killedMidway++;
                }
            }
            // Whatever the kill left, the destination holds a whole copy (the last one finished).
            assertIntact(copy);
            assertDoctorOk(db);
            try (Cairn cairn = Cairn.open(db)) {
                cairn.backupTo(copy, BackupOptions.defaults().withOverwrite(true));
            }
            try (Stream<Path> left = Files.list(backups)) {
                assertThat(left).as("files beside the destination after the next backup").containsExactly(copy);
            }
            assertIntact(copy);
        }
        assertThat(killedMidway).as("kills that left a partial copy behind").isPositive();
    }

    /** A backup is a whole store (doctor would flag its journal mode, which is DELETE so that it stands alone). */
    private static void assertIntact(Path copy) {
        try (Cairn restored = Cairn.builder().path(copy).readOnly(true).open()) {
            assertThat(restored.integrityCheck().problems()).isEmpty();
            assertThat(restored.events().lastPosition().sequence()).isEqualTo(2_000);
        }
    }
}
