package dev.cairn.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cairn.InvalidInputException;

/**
 * The one JSON mapper of Cairn: Java time as ISO-8601 strings, unknown properties ignored on read (a newer Cairn may
 * have added fields), and map keys sorted so that equal values serialise to equal text.
 *
 * <p>The mapper itself is private: a shared mapper anyone can reconfigure would change how every row is written.
 * The API packages keep their own (see {@code dev.cairn.events.EventJson}); a test checks the two agree.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage());
        }
    }

    /** The value as a JSON tree, as {@link #write} would write it; fails with {@link IllegalArgumentException}. */
    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** A stored JSON value read as a generic type; the caller decides what damaged text means. */
    public static <T> T parse(String json, TypeReference<T> type) throws JsonProcessingException {
        return MAPPER.readValue(json, type);
    }

    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("not valid JSON: " + e.getOriginalMessage());
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("cannot read a " + type.getSimpleName() + " from JSON: "
                    + e.getOriginalMessage());
        }
    }

    /**
     * A JSON tree read back as {@code type} (a class or a {@code TypeReference}'s type), as a recorded value is returned
     * to the code that recorded it.
     */
    public static <T> T convert(JsonNode tree, java.lang.reflect.Type type) {
        try {
            return MAPPER.readerFor(MAPPER.getTypeFactory().constructType(type)).readValue(tree);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new InvalidInputException("cannot read a recorded value back as " + type.getTypeName() + ": "
                    + e.getMessage());
        }
    }
}
