package dev.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An omk state directory of 200 goals and 100,000 events imports in a child JVM whose heap is 64 MiB: less than the
 * text of its events alone, so an import that held them all would run out of memory. The child prints its peak heap
 * use, shown here.
 */
class OmkImportHeapTest {
    static final int GOALS = 200;
    static final int EVENTS_PER_GOAL = 500;
    static final long HEAP = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void twoHundredGoalsAndAHundredThousandEventsImportInA64MiBHeap() throws Exception {
        Path state = dir.resolve("omk");
        long eventBytes = OmkStateFixture.generate(state, GOALS, EVENTS_PER_GOAL);
        // The control: the event logs are larger than the heap the import gets.
        assertThat(eventBytes).isGreaterThan(HEAP);

        Path db = dir.resolve("cairn.db");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx64m", "-XX:+IgnoreUnrecognizedVMOptions", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), SmallHeapImport.class.getName(), db.toString(),
                state.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(child.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        String[] figures = output.lines().reduce((a, b) -> b).orElseThrow().split(" ");
        long goals = Long.parseLong(figures[0]);
        long events = Long.parseLong(figures[1]);
        double seconds = Double.parseDouble(figures[2]);
        long maxHeap = Long.parseLong(figures[3]);
        long peak = Long.parseLong(figures[4]);
        System.out.printf("imported %d goals, %d events (%.1f MiB of event text) in %.1f s with -Xmx64m: peak heap "
                + "%.1f MiB of %.1f MiB%n", goals, events, eventBytes / 1048576.0, seconds, peak / 1048576.0,
                maxHeap / 1048576.0);
        assertThat(goals).isEqualTo(GOALS);
        assertThat(events).isEqualTo((long) GOALS * EVENTS_PER_GOAL);
        assertThat(maxHeap).isLessThanOrEqualTo(HEAP);
        assertThat(peak).isPositive().isLessThanOrEqualTo(maxHeap);
        try (Cairn cairn = Cairn.open(db)) {
            // per goal: goal.imported, its events, its three cost records
            assertThat(cairn.events().lastPosition().sequence()).isEqualTo((long) GOALS * (1 + EVENTS_PER_GOAL + 3));
        }
    }
}
