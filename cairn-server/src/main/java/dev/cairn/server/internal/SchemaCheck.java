package dev.cairn.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Checks a JSON value against the schemas {@link Shapes} writes: {@code $ref} into the named schemas, {@code type}
 * (one or a list), {@code properties}, {@code required}, {@code additionalProperties} (false or a schema),
 * {@code items}, {@code enum}, {@code anyOf}, and the {@code date-time} and {@code uuid} formats. The server checks
 * every request body with it before binding, and the tests check every response with it.
 *
 * <p>Written by hand because that subset is all the API's closed schemas use and it is some 120 lines: a full JSON
 * Schema library would add a dependency (and its own Jackson line-up) to the CLI jar for keywords nobody writes here.
 * A keyword outside the subset is reported as a problem rather than ignored, so a schema cannot silently check less.
 */
public final class SchemaCheck {
    private final Map<String, ? extends JsonNode> named;

    /** {@code named}: the schemas {@code #/components/schemas/NAME} references resolve to. */
    public SchemaCheck(Map<String, ? extends JsonNode> named) {
        this.named = named;
    }

    /** Every way {@code value} breaks {@code schema}, each as "JSON pointer: problem"; empty when it conforms. */
    public List<String> problems(JsonNode schema, JsonNode value) {
        List<String> problems = new ArrayList<>();
        check(schema, value, At.ROOT, problems);
        return problems;
    }

    /**
     * Where in the value the check is, as a JSON pointer written out only for a problem: a body that conforms
     * (nearly every one) then builds no pointer text for each property it passes.
     */
    private record At(At parent, Object segment) {
        static final At ROOT = new At(null, null);

        At then(Object next) {
            return new At(this, next);
        }

        @Override
        public String toString() {
            return parent == null ? "" : parent + "/" + segment;
        }
    }

    private void check(JsonNode schema, JsonNode value, At at, List<String> problems) {
        Iterator<String> keywords = schema.fieldNames();
        while (keywords.hasNext()) {
            String keyword = keywords.next();
            JsonNode rule = schema.get(keyword);
            switch (keyword) {
                case "$ref" -> {
                    String name = rule.asText().substring("#/components/schemas/".length());
                    JsonNode target = named.get(name);
                    if (target == null) {
                        problems.add(at + ": unknown schema " + rule.asText());
                    } else {
                        check(target, value, at, problems);
                    }
                }
                case "type" -> {
                    boolean any = false;
                    if (rule.isArray()) {
                        for (JsonNode type : rule) {
                            any |= hasType(value, type.asText());
                        }
                    } else {
                        any = hasType(value, rule.asText());
                    }
                    if (!any) {
                        problems.add(at + ": expected " + rule + ", was " + value.getNodeType().toString()
                                .toLowerCase());
                    }
                }
                case "properties" -> {
                    if (value.isObject()) {
                        rule.fields().forEachRemaining(property -> {
                            if (value.has(property.getKey())) {
                                check(property.getValue(), value.get(property.getKey()),
                                        at.then(property.getKey()), problems);
                            }
                        });
                    }
                }
                case "required" -> {
                    if (value.isObject()) {
                        for (JsonNode name : rule) {
                            if (!value.has(name.asText())) {
                                problems.add(at + ": required property '" + name.asText() + "' is missing");
                            }
                        }
                    }
                }
                case "additionalProperties" -> {
                    if (value.isObject()) {
                        JsonNode declared = schema.path("properties");
                        value.fields().forEachRemaining(field -> {
                            if (!declared.has(field.getKey())) {
                                if (rule.isBoolean() && !rule.asBoolean()) {
                                    problems.add(at + ": property '" + field.getKey() + "' is not allowed");
                                } else if (rule.isObject()) {
                                    check(rule, field.getValue(), at.then(field.getKey()), problems);
                                }
                            }
                        });
                    }
                }
                case "items" -> {
                    if (value.isArray()) {
                        for (int i = 0; i < value.size(); i++) {
                            check(rule, value.get(i), at.then(i), problems);
                        }
                    }
                }
                case "enum" -> {
                    boolean listed = false;
                    for (JsonNode allowed : rule) {
                        listed |= allowed.equals(value);
                    }
                    if (!listed) {
                        problems.add(at + ": " + value + " is not one of " + rule);
                    }
                }
                case "anyOf" -> {
                    boolean matched = false;
                    for (JsonNode option : rule) {
                        matched |= problems(option, value).isEmpty();
                    }
                    if (!matched) {
                        problems.add(at + ": " + abbreviate(value) + " matches none of " + rule);
                    }
                }
                case "format" -> {
                    if (value.isTextual() && !hasFormat(value.asText(), rule.asText())) {
                        problems.add(at + ": '" + value.asText() + "' is not a " + rule.asText());
                    }
                }
                case "description", "title", "examples" -> { }
                default -> problems.add(at + ": the check does not know the keyword '" + keyword + "'");
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> false;
        };
    }

    private static boolean hasFormat(String text, String format) {
        try {
            switch (format) {
                case "date-time" -> Instant.parse(text);
                case "uuid" -> UUID.fromString(text);
                default -> {
                    return false;
                }
            }
            return true;
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String abbreviate(JsonNode value) {
        String text = value.toString();
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
