package dev.cairn.goals.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathsTest {
    @Test
    void normalisation() {
        assertThat(Paths.normalise("./src//main/")).isEqualTo("src/main");
        assertThat(Paths.normalise("src\\main\\App.java")).isEqualTo("src/main/App.java");
        assertThat(Paths.normalise("a/b/../c")).isEqualTo("a/c");
        assertThat(Paths.normalise("../x")).isEqualTo("../x");
        assertThat(Paths.normalise(".")).isEqualTo(".");
        assertThat(Paths.normalise("/a/../../b")).isEqualTo("/b");
    }

    @Test
    void overlapIsEqualityOrADirectoryPrefix() {
        assertThat(Paths.overlap("src", "src")).isTrue();
        assertThat(Paths.overlap("src", "src/a.java")).isTrue();
        assertThat(Paths.overlap("src/a.java", "src")).isTrue();
        assertThat(Paths.overlap("src", "srcx")).isFalse();
        assertThat(Paths.overlap("src/a", "src/b")).isFalse();
        assertThat(Paths.overlap(".", "anything")).isTrue();
        assertThat(Paths.overlap("/", "/etc")).isTrue();
    }
}
