package dev.cairn.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON writer of every {@code --json} output: instants as ISO-8601 text (never epoch numbers), one document
 * per line. The same field carries the same name in every command ({@code database}, {@code streamVersion},
 * {@code createdAt}); every document that describes a store starts with {@code database}.
 */
final class JsonOutput {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private JsonOutput() {}

    /** An empty JSON object whose fields keep the order they are put in. */
    static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    /** A JSON object about the store this invocation is about: its first field is {@code database}. */
    static Map<String, Object> document(CairnCommand root) {
        Map<String, Object> map = object();
        map.put("database", root.database());
        return map;
    }

    /** Prints one JSON document on one line and flushes, so a reader of a pipe sees it at once. */
    static void print(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON output", e);
        }
    }

    /** Stored JSON text as a tree, so it is embedded as JSON; text that does not parse is embedded as a string. */
    static Object embed(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    static JsonNode parse(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }
}
