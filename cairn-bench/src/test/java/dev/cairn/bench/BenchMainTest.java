package dev.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which workloads {@code cairn bench --only REGEX} runs. */
class BenchMainTest {
    private static final List<String> WORKLOADS = List.of("single-event append, own commit",
            "1000-event append, one call", "replay 1M events into typed records", "readStream: one of 10k streams",
            "pg: single-event append, own commit", "two processes appending, own commits", BenchMain.IMPORT);

    static List<String> selected(String only) {
        return WORKLOADS.stream().filter(w -> BenchMain.selected(only, w)).toList();
    }

    @Test
    void thePatternMayMatchAnywhereInTheName() {
        assertThat(selected("append|replay")).containsExactly("single-event append, own commit",
                "1000-event append, one call", "replay 1M events into typed records",
                "pg: single-event append, own commit", "two processes appending, own commits");
        assertThat(selected("single")).containsExactly("single-event append, own commit",
                "pg: single-event append, own commit");
        assertThat(selected("^pg")).containsExactly("pg: single-event append, own commit");
        assertThat(selected("import")).containsExactly(BenchMain.IMPORT);
    }

    @Test
    void theDefaultSelectsEverythingAndAPatternThatMatchesNothingSelectsNothing() {
        assertThat(selected(".*")).isEqualTo(WORKLOADS);
        assertThat(selected("no such workload")).isEmpty();
    }
}
