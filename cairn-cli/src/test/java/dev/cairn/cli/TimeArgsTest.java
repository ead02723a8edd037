package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeArgsTest {
    private static final Instant NOW = Instant.parse("2025-03-10T12:00:00Z");

    @Test
    void durationsInShortAndIsoForm() {
        assertThat(TimeArgs.duration("--x", "90d")).isEqualTo(Duration.ofDays(90));
        assertThat(TimeArgs.duration("--x", "12h")).isEqualTo(Duration.ofHours(12));
        assertThat(TimeArgs.duration("--x", "30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(TimeArgs.duration("--x", "45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(TimeArgs.duration("--x", "2w")).isEqualTo(Duration.ofDays(14));
        assertThat(TimeArgs.duration("--x", "PT36H")).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void badDurationsNameTheOptionAndTheValue() {
        for (String bad : new String[] {"90", "d", "-5d", "1.5h", "ninety days", "P", ""}) {
            assertThatThrownBy(() -> TimeArgs.duration("--audit-older-than", bad))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("--audit-older-than")
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> TimeArgs.duration("--x", "0d")).hasMessageContaining("longer than zero");
    }

    @Test
    void sinceTakesAnAgeOrATime() {
        assertThat(TimeArgs.since("--since", "12h", NOW)).isEqualTo(Instant.parse("2025-03-10T00:00:00Z"));
        assertThat(TimeArgs.since("--since", "2025-03-01T10:00:00Z", NOW))
                .isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
        assertThat(TimeArgs.since("--since", "2025-03-01T10:00:00+02:00", NOW))
                .isEqualTo(Instant.parse("2025-03-01T08:00:00Z"));
        assertThat(TimeArgs.since("--since", "2025-03-01T10:00", NOW)).isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
        assertThat(TimeArgs.since("--since", "2025-03-01", NOW)).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
        assertThatThrownBy(() -> TimeArgs.since("--since", "last tuesday", NOW))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'last tuesday'");
    }

    @Test
    void humanDurations() {
        assertThat(TimeArgs.human(Duration.ofMillis(840))).isEqualTo("840 ms");
        assertThat(TimeArgs.human(Duration.ofMillis(12_400))).isEqualTo("12.4 s");
        assertThat(TimeArgs.human(Duration.ofSeconds(185))).isEqualTo("3m 05s");
        assertThat(TimeArgs.human(Duration.ofMinutes(130))).isEqualTo("2h 10m");
        assertThat(TimeArgs.human(Duration.ofHours(76))).isEqualTo("3d 4h");
    }
}
