package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.internal.Sql;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiProcessTest {
    @TempDir
    Path dir;

    @Test
    void processesOpeningOneFreshFileAtOnceAllSucceedAndMigrateOnce() throws Exception {
        Path file = dir.resolve("fresh/race.db");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            processes.add(Jvm.start(ProcessMain.class, "open", file.toString()));
        }
        for (Process process : processes) {
            assertThat(Jvm.finish(process)).contains("opened at schema");
        }
        try (Cairn db = Cairn.open(file)) {
            int code = db.status().codeSchemaVersion();
            long rows = db.session().read(c -> Sql.longValue(c, "SELECT count(*) FROM schema_migrations", -1));
            long distinct = db.session().read(c -> Sql.longValue(c,
                    "SELECT count(DISTINCT id) FROM schema_migrations", -1));
            assertThat(rows).isEqualTo(code).isEqualTo(distinct);
            assertThat(db.status().rowCounts()).containsEntry("store_identity", 1L);
        }
    }

    @Test
    void aWriterInAnotherProcessIsWaitedForAndPastTheBoundReportedBusy() throws Exception {
        Path file = dir.resolve("shared.db");
        try (Cairn db = Cairn.open(file)) {
            Scratch.create(db);
        }
        Process holder = Jvm.start(ProcessMain.class, "hold", file.toString(), "3000");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream()))) {
            assertThat(lines.readLine()).isEqualTo("holding");
            try (Cairn impatient = Cairn.builder().path(file).busyTimeout(Duration.ofMillis(200)).open()) {
                assertThatThrownBy(() -> Scratch.insert(impatient, 2, "too soon"))
                        .isInstanceOf(BusyException.class)
                        .hasMessageContaining(file.toString())
                        .hasMessageNotContaining("database is locked");
            }
            try (Cairn patient = Cairn.builder().path(file).busyTimeout(Duration.ofSeconds(60)).open()) {
                Scratch.insert(patient, 2, "after the other process committed");
                assertThat(Scratch.values(patient)).containsExactly("held by another process",
                        "after the other process committed");
            }
        }
        assertThat(holder.waitFor()).isZero();
    }

    @Test
    void writersInSeveralProcessesLoseNothing() throws Exception {
        Path file = dir.resolve("many.db");
        try (Cairn db = Cairn.open(file)) {
            Scratch.create(db);
        }
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            processes.add(Jvm.start(ProcessMain.class, "write", file.toString(), "300", String.valueOf(p * 10_000)));
        }
        try (Cairn db = Cairn.open(file)) {
            for (int i = 0; i < 300; i++) {
                Scratch.insert(db, 100_000 + i, "from the test");
            }
            for (Process process : processes) {
                Jvm.finish(process);
            }
            assertThat(Scratch.count(db)).isEqualTo(1_200);
        }
    }
}
