package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.internal.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The event API's mapper and the store's are two copies of one configuration: they must write and read alike. */
class EventJsonTest {
    record Sample(Instant at, Optional<String> note, Map<String, Integer> counts, List<Long> ids) {}

    @Test
    void bothMappersWriteAndReadTheSameJson() throws Exception {
        Map<String, Integer> unordered = new LinkedHashMap<>();
        unordered.put("b", 2);
        unordered.put("a", 1);
        Sample sample = new Sample(Instant.parse("2024-05-06T07:08:09.123Z"), Optional.of("n"), unordered,
                List.of(1L, 2L));

        String written = EventJson.write(sample);
        assertThat(written).isEqualTo(Json.write(sample))
                .isEqualTo("{\"at\":\"2024-05-06T07:08:09.123Z\",\"note\":\"n\",\"counts\":{\"a\":1,\"b\":2},"
                        + "\"ids\":[1,2]}");
        String newer = written.replace("{\"at\"", "{\"addedByANewerCairn\":true,\"at\"");
        Sample read = EventJson.readerFor(Sample.class).readValue(newer);
        assertThat(read).isEqualTo(Json.read(newer, Sample.class)).isEqualTo(sample);
        assertThat(EventJson.tree(written)).isEqualTo(Json.tree(written));
    }
}
