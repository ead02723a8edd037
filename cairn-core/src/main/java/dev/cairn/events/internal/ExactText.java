package dev.cairn.events.internal;

/**
 * What a text column can keep exactly. Java strings may hold unpaired UTF-16 surrogates and NUL; the database's
 * UTF-8 text cannot (the driver writes {@code ?} for a lone surrogate, PostgreSQL refuses NUL). Payload JSON keeps
 * them as {@code \\uXXXX} escapes, which parse back to the same string; plain text columns refuse them.
 */
final class ExactText {
    private ExactText() {}

    /**
     * The JSON text with each unpaired surrogate written as a {@code \\uXXXX} escape: the same JSON value, in valid
     * UTF-8. Raw surrogates can only stand inside JSON strings (the text is valid JSON), so the escape is always legal.
     */
    static String escapeLoneSurrogates(String json) {
        int first = firstLoneSurrogate(json, 0);
        if (first < 0) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length() + 16).append(json, 0, first);
        for (int i = first; i < json.length(); i++) {
            char ch = json.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))) {
                out.append(ch).append(json.charAt(++i));
            } else if (Character.isSurrogate(ch)) {
                out.append(String.format("\\u%04X", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** The index of the first char a text column cannot keep (NUL, an unpaired surrogate), or -1. */
    static int firstUnkeepable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\u0000') {
                return i;
            }
            if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                return i;
            }
        }
        return -1;
    }

    /** What the char at {@code index} is, for a refusal's message. */
    static String describe(String text, int index) {
        char ch = text.charAt(index);
        String what = ch == '\u0000' ? "a NUL character (U+0000)"
                : String.format("an unpaired UTF-16 %s surrogate (U+%04X)",
                        Character.isHighSurrogate(ch) ? "high" : "low", (int) ch);
        return what + " at index " + index;
    }

    private static int firstLoneSurrogate(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                return i;
            }
        }
        return -1;
    }
}
