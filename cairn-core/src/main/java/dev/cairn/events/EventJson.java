package dev.cairn.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cairn.InvalidInputException;
import java.io.IOException;

/**
 * The JSON of event payloads: Java time as ISO-8601 strings, unknown properties ignored on read (a newer Cairn may
 * have added fields), map keys sorted. The API's own copy of the store's configuration, so the event API compiles
 * without the implementation; {@code EventJsonTest} fails if the two ever write or read differently.
 */
final class EventJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private EventJson() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage());
        }
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("not valid JSON: " + e.getOriginalMessage());
        }
    }

    static ObjectNode objectTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    static ObjectNode objectNode() {
        return MAPPER.createObjectNode();
    }

    static ObjectReader readerFor(Class<?> type) {
        return MAPPER.readerFor(type);
    }

    static JsonNode readTree(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }


    static JsonParser parser(String json) throws IOException {
        return MAPPER.getFactory().createParser(json);
    }
}
