package dev.cairn.imports.omk.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * omk's JSON read without losing a digit: every number keeps the text omk wrote ({@code 12.5} stays 12.5 as a decimal,
 * never a double), and for whole files the line each value stands on, so a problem can name its line.
 */
final class OmkJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Writes trees back as compact JSON; decimals as {@link java.math.BigDecimal#toString()} of the text read. */
    private static final ObjectMapper WRITER = JsonMapper.builder().build();

    private OmkJson() {}

    /** A JSON document with the line of each value, by JSON pointer ({@code /tasks/3/dependencies/1}). */
    record Document(String file, JsonNode root, Map<String, Integer> lines) {
        /** The line of the value at {@code pointer}, or of the nearest enclosing value that has one. */
        long line(String pointer) {
            for (String p = pointer; ; p = p.substring(0, p.lastIndexOf('/'))) {
                Integer line = lines.get(p);
                if (line != null) {
                    return line;
                }
                if (p.isEmpty()) {
                    return 1;
                }
            }
        }
    }

    /** A whole file's JSON with the lines of its values; {@link IOException} for text that is not one JSON value. */
    static Document document(String file, String text) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new IOException("the file is empty");
            }
            JsonNode root = value(parser, "", lines);
            if (parser.nextToken() != null) {
                throw new IOException("text follows the JSON value on line "
                        + parser.currentTokenLocation().getLineNr());
            }
            return new Document(file, root, lines);
        }
    }

    /** One line of JSON (an event), without line bookkeeping. */
    static JsonNode line(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new IOException("the line is empty");
            }
            JsonNode root = value(parser, null, null);
            if (parser.nextToken() != null) {
                throw new IOException("text follows the JSON value");
            }
            return root;
        }
    }

    private static JsonNode value(JsonParser p, String pointer, Map<String, Integer> lines) throws IOException {
        if (lines != null) {
            lines.put(pointer, p.currentTokenLocation().getLineNr());
        }
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    String name = p.currentName();
                    p.nextToken();
                    object.set(name, value(p, lines == null ? null : pointer + "/" + escape(name), lines));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                int index = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(p, lines == null ? null : pointer + "/" + index, lines));
                    index++;
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                // From the text, never through a double, and not normalised: 10.0 stays 10.0.
                return DecimalNode.valueOf(p.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new IOException("unexpected " + token);
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    static String write(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }
}
