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
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiProcessTest {
    @TempDir
    Path dir;

    @Test
    void processesOpeningOneFreshFileAtOnceAllSucceedAndMigrateOnce() throws Exception {
        Path file = dir.resolve("fresh/race.db");
        Path go = dir.resolve("go-open");
        List<Jvm.Child> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(Jvm.child(ProcessMain.class, "open", file.toString(), go.toString()));
        }
        for (Jvm.Child child : children) {
            child.awaitReady();
        }
        Jvm.go(go);
        List<Integer> applied = new ArrayList<>();
        List<Jvm.Window> windows = new ArrayList<>();
        for (Jvm.Child child : children) {
            String output = child.finish();
            assertThat(output).contains("opened at schema");
            windows.add(Jvm.Child.windowIn(output));
            String list = output.lines().filter(l -> l.startsWith("applied [")).findFirst().orElseThrow();
            for (String version : list.substring("applied [".length(), list.length() - 1).split(", ")) {
                if (!version.isEmpty()) {
                    applied.add(Integer.parseInt(version));
                }
            }
        }
        assertThat(Jvm.Window.overlap(windows)).as("the three opens overlapped: %s", windows).isTrue();
        try (Cairn db = Cairn.open(file)) {
            int code = db.status().codeSchemaVersion();
            List<Integer> all = IntStream.rangeClosed(1, code).boxed().toList();
            // Every migration applied by exactly one of the processes, and recorded once, in order, without a gap.
            assertThat(applied).as("migrations the processes applied").containsExactlyInAnyOrderElementsOf(all);
            List<Integer> recorded = db.session().read(c -> Sql.list(c, "SELECT id FROM schema_migrations ORDER BY id",
                    r -> r.getInt(1)));
            assertThat(recorded).containsExactlyElementsOf(all);
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
        Path go = dir.resolve("go-write");
        int perWriter = 300;
        try (Cairn db = Cairn.open(file)) {
            Scratch.create(db);
        }
        List<Jvm.Child> children = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            children.add(Jvm.child(ProcessMain.class, "write", file.toString(), String.valueOf(perWriter),
                    String.valueOf(p * 10_000), go.toString()));
        }
        try (Cairn db = Cairn.open(file)) {
            for (Jvm.Child child : children) {
                child.awaitReady();
            }
            Jvm.go(go);
            long start = Jvm.now();
            for (int i = 0; i < perWriter; i++) {
                Scratch.insert(db, 100_000 + i, "from the test");
            }
            List<Jvm.Window> windows = new ArrayList<>();
            windows.add(new Jvm.Window("test", start, Jvm.now()));
            for (Jvm.Child child : children) {
                windows.add(Jvm.Child.windowIn(child.finish()));
            }
            assertThat(Jvm.Window.overlap(windows)).as("all four writers wrote at once: %s", windows).isTrue();

            // Every acknowledged id is there (once: it is the key), and nothing else.
            List<Long> expected = new ArrayList<>();
            for (long base : new long[] {0, 10_000, 20_000, 100_000}) {
                for (int i = 0; i < perWriter; i++) {
                    expected.add(base + i);
                }
            }
            List<Long> ids = db.session().read(c -> Sql.list(c, "SELECT id FROM scratch ORDER BY id",
                    r -> r.getLong(1)));
            assertThat(ids).containsExactlyElementsOf(expected);
            Map<String, Long> perProcess = new TreeMap<>(db.session().read(c -> Sql.list(c,
                    "SELECT value, count(*) FROM scratch GROUP BY value", r -> Map.entry(r.getString(1), r.getLong(2))))
                    .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            assertThat(perProcess).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                    "from process 0", (long) perWriter, "from process 10000", (long) perWriter,
                    "from process 20000", (long) perWriter, "from the test", (long) perWriter)));
        }
    }
}
