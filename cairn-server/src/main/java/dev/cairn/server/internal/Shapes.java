package dev.cairn.server.internal;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON shape of every type the API reads or writes, derived from the Java records themselves: one walk over a
 * record's components gives both its JSON Schema (for /openapi.json and the request check) and its JSON text, so the
 * document cannot drift from what is sent.
 *
 * <p>The rules: a record is a closed object (every component {@code required}, {@code additionalProperties: false});
 * an enum is its stored names ({@link JsonValue}); {@link Instant} and {@link UUID} are strings; {@code Optional} and
 * reference components of responses may be {@code null}; {@link ObjectNode} is an open JSON object (user data) and
 * {@link JsonNode} any JSON value. In request records a component marked {@link Omittable} may be left out; every
 * other one is required and not null.
 */
public final class Shapes {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<Class<?>, RecordComponent[]> COMPONENTS = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Method> ENUM_VALUES = new ConcurrentHashMap<>();

    /** A component of a request record that the client may leave out (or send as null). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
    public @interface Omittable {}

    /** Whether a schema is for a request (required unless omittable, not nullable) or a response (all nullable). */
    public enum Direction { REQUEST, RESPONSE }

    private final Map<String, ObjectNode> components = new LinkedHashMap<>();

    /** The named schemas collected so far, for {@code components.schemas}. */
    public Map<String, ObjectNode> components() {
        return components;
    }

    /** The schema of {@code type}, registering the records it names under {@code #/components/schemas}. */
    public ObjectNode schema(Type type, Direction direction) {
        Class<?> raw = raw(type);
        if (raw.isRecord()) {
            String name = name(raw, direction);
            if (!components.containsKey(name)) {
                components.put(name, NODES.objectNode()); // a placeholder stops recursion on self-reference
                components.put(name, recordSchema(raw, direction));
            }
            return NODES.objectNode().put("$ref", "#/components/schemas/" + name);
        }
        return valueSchema(type, direction);
    }

    /**
     * A record's schema name: its simple name, prefixed by its enclosing type's unless that is {@link Wire}; a library
     * record read from a request gets an {@code In} suffix, since its request schema differs (required, not null).
     */
    private static String name(Class<?> record, Direction direction) {
        Class<?> outer = record.getEnclosingClass();
        String name = outer != null && outer != Wire.class ? outer.getSimpleName() + record.getSimpleName()
                : record.getSimpleName();
        return direction == Direction.REQUEST && !name.endsWith("In") ? name + "In" : name;
    }

    private ObjectNode recordSchema(Class<?> record, Direction direction) {
        ObjectNode schema = NODES.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (RecordComponent component : components(record)) {
            boolean omittable = component.isAnnotationPresent(Omittable.class);
            boolean nullable = direction == Direction.RESPONSE ? nullable(component.getGenericType()) : omittable;
            ObjectNode property = schema(component.getGenericType(), direction);
            properties.set(component.getName(), nullable ? orNull(property) : property);
            if (direction == Direction.RESPONSE || !omittable) {
                required.add(component.getName());
            }
        }
        schema.set("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }

    /** Responses write every component; those of a reference type may be null (lists and maps never are). */
    private static boolean nullable(Type type) {
        Class<?> raw = raw(type);
        return !raw.isPrimitive() && !Collection.class.isAssignableFrom(raw) && !Map.class.isAssignableFrom(raw)
                && raw != JsonNode.class;
    }

    private static ObjectNode orNull(ObjectNode schema) {
        ObjectNode either = NODES.objectNode();
        either.putArray("anyOf").add(schema).add(NODES.objectNode().put("type", "null"));
        return either;
    }

    private ObjectNode valueSchema(Type type, Direction direction) {
        Class<?> raw = raw(type);
        ObjectNode schema = NODES.objectNode();
        if (raw == String.class) {
            return schema.put("type", "string");
        } else if (raw == UUID.class) {
            return schema.put("type", "string").put("format", "uuid");
        } else if (raw == Instant.class) {
            return schema.put("type", "string").put("format", "date-time");
        } else if (raw == boolean.class || raw == Boolean.class) {
            return schema.put("type", "boolean");
        } else if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return schema.put("type", "integer");
        } else if (raw == double.class || raw == Double.class) {
            return schema.put("type", "number");
        } else if (raw.isEnum()) {
            schema.put("type", "string");
            ArrayNode values = schema.putArray("enum");
            for (Object constant : raw.getEnumConstants()) {
                values.add(enumText(constant));
            }
            return schema;
        } else if (raw == Optional.class) {
            return schema(argument(type, 0), direction);
        } else if (Collection.class.isAssignableFrom(raw)) {
            schema.put("type", "array");
            schema.set("items", schema(argument(type, 0), direction));
            return schema;
        } else if (Map.class.isAssignableFrom(raw)) {
            schema.put("type", "object");
            schema.set("additionalProperties", schema(argument(type, 1), direction));
            return schema;
        } else if (raw == ObjectNode.class) {
            return schema.put("type", "object");
        } else if (raw == JsonNode.class) {
            return schema;
        }
        throw new IllegalArgumentException("no JSON shape for " + type + ": use a record, an enum or a plain value");
    }

    /** {@code value} (of a type {@link #schema} describes) as JSON, exactly as its schema says. */
    public static JsonNode toJson(Object value) {
        if (value == null) {
            return NODES.nullNode();
        } else if (value instanceof JsonNode node) {
            return node;
        } else if (value instanceof String text) {
            return NODES.textNode(text);
        } else if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        } else if (value instanceof Integer number) {
            return NODES.numberNode(number);
        } else if (value instanceof Long number) {
            return NODES.numberNode(number);
        } else if (value instanceof Double number) {
            return NODES.numberNode(number);
        } else if (value instanceof Instant || value instanceof UUID) {
            return NODES.textNode(value.toString());
        } else if (value instanceof Enum<?> constant) {
            return NODES.textNode(enumText(constant));
        } else if (value instanceof Optional<?> optional) {
            return toJson(optional.orElse(null));
        } else if (value instanceof Collection<?> items) {
            ArrayNode array = NODES.arrayNode(items.size());
            for (Object item : items) {
                array.add(toJson(item));
            }
            return array;
        } else if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key = entry.getKey();
                object.set(key instanceof Enum<?> constant ? enumText(constant) : String.valueOf(key),
                        toJson(entry.getValue()));
            }
            return object;
        } else if (value.getClass().isRecord()) {
            ObjectNode object = NODES.objectNode();
            for (RecordComponent component : components(value.getClass())) {
                try {
                    object.set(component.getName(), toJson(component.getAccessor().invoke(value)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component + " of " + value.getClass(), e);
                }
            }
            return object;
        }
        throw new IllegalArgumentException("no JSON shape for " + value.getClass());
    }

    /**
     * Writes {@code value} as {@link #toJson} shapes it, straight to {@code out}: a response is then written without
     * building its tree first. The two must agree (ShapesTest compares them).
     */
    public static void write(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof JsonNode node) {
            out.writeTree(node);
        } else if (value instanceof String text) {
            out.writeString(text);
        } else if (value instanceof Boolean bool) {
            out.writeBoolean(bool);
        } else if (value instanceof Integer number) {
            out.writeNumber(number);
        } else if (value instanceof Long number) {
            out.writeNumber(number);
        } else if (value instanceof Double number) {
            out.writeNumber(number);
        } else if (value instanceof Instant || value instanceof UUID) {
            out.writeString(value.toString());
        } else if (value instanceof Enum<?> constant) {
            out.writeString(enumText(constant));
        } else if (value instanceof Optional<?> optional) {
            write(out, optional.orElse(null));
        } else if (value instanceof Collection<?> items) {
            out.writeStartArray();
            for (Object item : items) {
                write(out, item);
            }
            out.writeEndArray();
        } else if (value instanceof Map<?, ?> map) {
            // Through a tree: a map's keys could repeat once named, and the tree keeps the last as toJson does.
            out.writeTree(toJson(map));
        } else if (value.getClass().isRecord()) {
            out.writeStartObject();
            for (RecordComponent component : components(value.getClass())) {
                out.writeFieldName(component.getName());
                try {
                    write(out, component.getAccessor().invoke(value));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component + " of " + value.getClass(), e);
                }
            }
            out.writeEndObject();
        } else {
            throw new IllegalArgumentException("no JSON shape for " + value.getClass());
        }
    }

    private static RecordComponent[] components(Class<?> record) {
        return COMPONENTS.computeIfAbsent(record, type -> {
            RecordComponent[] all = type.getRecordComponents();
            for (RecordComponent component : all) {
                component.getAccessor().setAccessible(true);
            }
            return all;
        });
    }

    /** The name an enum constant is stored and sent by: its {@link JsonValue} method, else its {@code toString()}. */
    static String enumText(Object constant) {
        Method method = ENUM_VALUES.computeIfAbsent(constant.getClass().isEnum() ? constant.getClass()
                : constant.getClass().getSuperclass(), type -> {
                    for (Method candidate : type.getMethods()) {
                        if (candidate.isAnnotationPresent(JsonValue.class) && candidate.getParameterCount() == 0) {
                            return candidate;
                        }
                    }
                    try {
                        return Enum.class.getMethod("toString");
                    } catch (NoSuchMethodException e) {
                        throw new IllegalStateException(e);
                    }
                });
        try {
            return String.valueOf(method.invoke(constant));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot name " + constant, e);
        }
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        } else if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalArgumentException("no JSON shape for " + type);
    }

    private static Type argument(Type type, int index) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        throw new IllegalArgumentException(type + " needs its type arguments");
    }
}
