package dev.cairn.imports.omk.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conversions an import made for one goal, one line per kind: the same kind of conversion met many times (each
 * timestamp finer than a millisecond, each far-future lease deadline) is one line with its count and a first example.
 */
final class Notes {
    private static final class Note {
        final String text;
        final String example;
        long count;

        Note(String text, String example) {
            this.text = text;
            this.example = example;
        }
    }

    private final Map<String, Note> notes = new LinkedHashMap<>();

    /** A conversion of kind {@code key}; the first call's text and example stand for all of that kind. */
    void add(String key, String text, String example) {
        notes.computeIfAbsent(key, k -> new Note(text, example)).count++;
    }

    void add(String text) {
        add(text, text, null);
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>(notes.size());
        for (Note note : notes.values()) {
            lines.add(note.text + (note.count > 1 ? " (" + note.count + " times" + (note.example != null
                    ? "; first: " + note.example : "") + ")" : note.example != null ? " (" + note.example + ")" : ""));
        }
        return lines;
    }
}
