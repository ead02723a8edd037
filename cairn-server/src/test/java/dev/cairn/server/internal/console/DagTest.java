package dev.cairn.server.internal.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.goals.Task;
import dev.cairn.goals.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Longest-path layering of the console's task graph, without a browser (the browser test checks the drawing). */
class DagTest {
    private static Task task(String id, int position, String... dependsOn) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new Task("g", id, position, id, null, "code", TaskStatus.PENDING, null, List.of(), List.of(),
                List.of(dependsOn), List.of(), List.of(), null, 0, 3, null, null, null, now, now);
    }

    @Test
    void aTaskSitsOnePastItsDeepestDependency() {
        // a -> b -> c, and d depends on a and c: d goes after c (layer 3), not after a (layer 1).
        Map<String, Dag.Placed> placed = Dag.layout(List.of(task("a", 0), task("b", 1, "a"), task("c", 2, "b"),
                task("d", 3, "a", "c"), task("e", 4)));
        assertThat(placed.get("a").layer()).isZero();
        assertThat(placed.get("b").layer()).isEqualTo(1);
        assertThat(placed.get("c").layer()).isEqualTo(2);
        assertThat(placed.get("d").layer()).isEqualTo(3);
        assertThat(placed.get("e").layer()).isZero();
        assertThat(placed.get("e").row()).as("two roots share layer 0").isEqualTo(1);
        assertThat(placed.get("d").x()).isGreaterThan(placed.get("c").x() + Dag.NODE_W);
    }

    @Test
    void aDamagedCyclicGraphStillDraws() {
        Map<String, Dag.Placed> placed = Dag.layout(List.of(task("a", 0, "b"), task("b", 1, "a")));
        assertThat(placed).hasSize(2);
        assertThat(Dag.svg(List.of(task("a", 0, "b"), task("b", 1, "a")))).contains("data-task=\"a\"",
                "data-task=\"b\"");
    }

    @Test
    void textIsEscaped() {
        Task evil = task("x", 0);
        evil = new Task("g", "x", 0, "<script>alert(1)</script>", null, "code", TaskStatus.PENDING, null, List.of(),
                List.of(), List.of(), List.of(), List.of(), null, 0, 3, null, null, null, evil.createdAt(),
                evil.updatedAt());
        assertThat(Dag.svg(List.of(evil))).doesNotContain("<script>").contains("&lt;script&gt;");
    }
}
