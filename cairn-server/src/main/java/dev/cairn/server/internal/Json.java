package dev.cairn.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The server's JSON: strict on read (an unknown field is an error, not a silent drop), plain on write. */
public final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /** One reader per request type, so a body binds without looking its deserializer up again. */
    private static final Map<Class<?>, ObjectReader> READERS = new ConcurrentHashMap<>();

    private Json() {}

    /** A JSON tree as text. */
    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** A value as {@link Shapes} shapes it, as UTF-8 JSON, written without building its tree. */
    public static byte[] bytes(Object value) {
        ByteArrayBuilder buffer = new ByteArrayBuilder(256);
        try (JsonGenerator out = MAPPER.createGenerator(buffer)) {
            Shapes.write(out, value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a response could not be written as JSON", e);
        }
        return buffer.toByteArray();
    }

    /** The text of a request body as a tree; malformed JSON is a {@link BadRequest}. */
    public static JsonNode parse(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new BadRequest("the request body is empty; send a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new BadRequest("the request body could not be read: " + e.getMessage());
        }
    }

    /** Binds a tree that passed its schema check to its request record. */
    public static <T> T bind(JsonNode node, Class<T> type) {
        try {
            return READERS.computeIfAbsent(type, MAPPER::readerFor).readValue(node);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof dev.cairn.CairnException refusal) {
                throw refusal; // a library record refused the value while being built: the library's words, 422
            }
            throw new BadRequest("the request body does not fit " + type.getSimpleName() + ": "
                    + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new BadRequest("the request body does not fit " + type.getSimpleName() + ": " + e.getMessage());
        }
    }
}
