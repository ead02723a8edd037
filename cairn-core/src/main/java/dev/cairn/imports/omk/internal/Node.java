package dev.cairn.imports.omk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A value of an omk file with where it stands (file, JSON pointer, line), and typed reads of its fields that apply
 * omk's serde rules: a required key must be there; a defaulted one may be missing but not null; an optional one may
 * be missing or null. A read that fails says which file, which line, which key and what was wrong.
 */
final class Node {
    final OmkJson.Document document;
    final String pointer;
    final JsonNode json;
    /** The line of the whole value when it came from a one-line-per-record file (events, checkpoints, decisions). */
    private final Long fixedLine;

    private Node(OmkJson.Document document, String pointer, JsonNode json, Long fixedLine) {
        this.document = document;
        this.pointer = pointer;
        this.json = json;
        this.fixedLine = fixedLine;
    }

    static Node root(OmkJson.Document document) {
        return new Node(document, "", document.root(), null);
    }

    /** A record of a JSON Lines file: every value of it is on {@code line}. */
    static Node line(String file, long line, JsonNode json) {
        return new Node(new OmkJson.Document(file, json, java.util.Map.of()), "", json, line);
    }

    String file() {
        return document.file();
    }

    long line() {
        return fixedLine != null ? fixedLine : document.line(pointer);
    }

    long lineOf(String name) {
        return fixedLine != null ? fixedLine : document.line(pointer + "/" + name);
    }

    BrokenGoal broken(String message) {
        return BrokenGoal.at(file(), line(), message);
    }

    BrokenGoal broken(String name, String message) {
        return BrokenGoal.at(file(), lineOf(name), message);
    }

    boolean has(String name) {
        return json.has(name) && !json.get(name).isNull();
    }

    Node field(String name) throws BrokenGoal {
        requireObject();
        JsonNode value = json.get(name);
        if (value == null) {
            throw broken(what() + " has no '" + name + "'");
        }
        return new Node(document, pointer + "/" + name, value, fixedLine);
    }

    /** The field, or null when it is missing or null. */
    Node optional(String name) throws BrokenGoal {
        requireObject();
        JsonNode value = json.get(name);
        return value == null || value.isNull() ? null : new Node(document, pointer + "/" + name, value, fixedLine);
    }

    List<Node> elements() throws BrokenGoal {
        if (!json.isArray()) {
            throw broken(what() + " must be a JSON array, was " + type(json));
        }
        List<Node> elements = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) {
            elements.add(new Node(document, pointer + "/" + i, json.get(i), fixedLine));
        }
        return elements;
    }

    void requireObject() throws BrokenGoal {
        if (!json.isObject()) {
            throw broken(what() + " must be a JSON object, was " + type(json));
        }
    }

    String text(String name) throws BrokenGoal {
        Node value = field(name);
        if (!value.json.isTextual()) {
            throw value.broken("'" + name + "' must be a string, was " + type(value.json));
        }
        return value.json.textValue();
    }

    /** A required string that is not blank. */
    String nonBlank(String name) throws BrokenGoal {
        String text = text(name);
        if (text.isBlank()) {
            throw broken(name, "'" + name + "' is blank");
        }
        return text;
    }

    String optionalText(String name) throws BrokenGoal {
        Node value = optional(name);
        if (value == null) {
            return null;
        }
        if (!value.json.isTextual()) {
            throw value.broken("'" + name + "' must be a string, was " + type(value.json));
        }
        return value.json.textValue();
    }

    Instant time(String name) throws BrokenGoal {
        return parseTime(name, text(name));
    }

    Instant optionalTime(String name) throws BrokenGoal {
        String text = optionalText(name);
        return text == null ? null : parseTime(name, text);
    }

    private Instant parseTime(String name, String text) throws BrokenGoal {
        try {
            return OmkTime.parse(text);
        } catch (DateTimeParseException e) {
            throw broken(name, "'" + name + "' is not an RFC 3339 time: '" + text + "'");
        }
    }

    /** A required unsigned integer that fits a long. */
    long count(String name) throws BrokenGoal {
        return unsigned(name, field(name));
    }

    /** A defaulted unsigned integer: missing gives {@code otherwise}, null is an error as in omk. */
    long count(String name, long otherwise) throws BrokenGoal {
        requireObject();
        return json.has(name) ? unsigned(name, field(name)) : otherwise;
    }

    Long optionalCount(String name) throws BrokenGoal {
        Node value = optional(name);
        return value == null ? null : unsigned(name, value);
    }

    private long unsigned(String name, Node value) throws BrokenGoal {
        if (!value.json.isIntegralNumber()) {
            throw value.broken("'" + name + "' must be a whole number, was " + type(value.json));
        }
        BigInteger number = value.json.bigIntegerValue();
        if (number.signum() < 0 || number.bitLength() > 63) {
            throw value.broken("'" + name + "' is " + number + ", outside 0 .. " + Long.MAX_VALUE);
        }
        return number.longValue();
    }

    /** A number of dollars as the decimal omk wrote, or null when missing or null. */
    BigDecimal optionalDollars(String name) throws BrokenGoal {
        Node value = optional(name);
        return value == null ? null : value.dollars(name);
    }

    BigDecimal dollars(String name) throws BrokenGoal {
        if (!json.isNumber()) {
            throw broken("'" + name + "' must be a number of dollars, was " + type(json));
        }
        BigDecimal amount = json.decimalValue();
        if (amount.signum() < 0) {
            throw broken("'" + name + "' is negative: " + json.asText());
        }
        return amount;
    }

    /** A defaulted boolean: missing gives {@code otherwise}, null is an error as in omk. */
    boolean bool(String name, boolean otherwise) throws BrokenGoal {
        requireObject();
        if (!json.has(name)) {
            return otherwise;
        }
        JsonNode value = json.get(name);
        if (!value.isBoolean()) {
            throw broken(name, "'" + name + "' must be true or false, was " + type(value));
        }
        return value.booleanValue();
    }

    /** A list of strings: required, or (with {@code required} false) missing meaning empty. */
    List<String> strings(String name, boolean required) throws BrokenGoal {
        requireObject();
        if (!json.has(name) && !required) {
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        for (Node element : field(name).elements()) {
            if (!element.json.isTextual()) {
                throw element.broken("'" + name + "' must hold strings, holds " + type(element.json));
            }
            strings.add(element.json.textValue());
        }
        return strings;
    }

    private String what() {
        return pointer.isEmpty() ? "the document" : "'" + pointer.substring(pointer.lastIndexOf('/') + 1) + "'";
    }

    static String type(JsonNode node) {
        return node.isNull() ? "null" : node.isTextual() ? "a string" : node.isNumber() ? "a number"
                : node.isBoolean() ? "a boolean" : node.isArray() ? "an array" : "an object";
    }
}
