package dev.cairn.goals.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cairn.StorageException;
import dev.cairn.internal.Json;
import java.util.List;

/**
 * Lists of strings and records kept as JSON text in one column. Most such lists are empty (a task's sets, acceptance
 * and evidence, until filled), and every task read or written handles five of them, so the empty list is written and
 * read without the JSON mapper.
 */
final class JsonLists {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String EMPTY = "[]";

    private JsonLists() {}

    static String write(List<?> values) {
        return values != null && values.isEmpty() ? EMPTY : Json.write(values);
    }

    static List<String> strings(String json) {
        return read(json, STRINGS);
    }

    static <T> List<T> read(String json, TypeReference<List<T>> type) {
        if (json == null || json.equals(EMPTY)) {
            return List.of();
        }
        try {
            return Json.parse(json, type);
        } catch (java.io.IOException e) {
            throw new StorageException("a stored JSON list is damaged (" + e.getMessage() + "): " + json, e);
        }
    }
}
