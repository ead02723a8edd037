package dev.cairn.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.goals.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Responses are written straight from their records; the text must be what the tree {@link Shapes#toJson} gives. */
class ShapesWriteTest {
    enum Named {
        FIRST;

        @JsonValue
        String stored() {
            return "first-one";
        }
    }

    record Inner(String text, Long count, Optional<Instant> at) {}

    record Outer(String id, int n, long big, double ratio, boolean flag, Instant when, UUID uuid, Named named,
            TaskStatus status, Optional<String> maybe, Optional<String> none, List<Inner> inners,
            Map<Named, Integer> byName, ObjectNode data, Object nothing, List<List<Integer>> nested) {}

    @Test
    void writtenTextIsTheTreesText() {
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("k", "v\u2028\"q\"");
        data.putArray("a").add(1).add(2.5).addNull();
        Map<Named, Integer> byName = new LinkedHashMap<>();
        byName.put(Named.FIRST, 3);
        Outer value = new Outer("id \"quoted\" é", 7, Long.MAX_VALUE, 0.1, true, Instant.parse("2026-01-02T03:04:05.678Z"),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), Named.FIRST, TaskStatus.PENDING,
                Optional.of("x"), Optional.empty(), List.of(new Inner("t", null, Optional.empty()),
                        new Inner(null, 5L, Optional.of(Instant.EPOCH))), byName, data, null,
                List.of(List.of(1, 2), List.of()));
        for (Object each : List.<Object>of(value, List.of(), "text", 4L, Arrays.asList(1, null), byName)) {
            assertThat(new String(Json.bytes(each), StandardCharsets.UTF_8)).as("%s", each)
                    .isEqualTo(Json.text(Shapes.toJson(each)));
        }
    }
}
