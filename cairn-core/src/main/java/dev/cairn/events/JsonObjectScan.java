package dev.cairn.events;

/**
 * A quick scan that tells when a text is surely one JSON object, so that most payloads skip the slower full check.
 * It accepts only what Jackson's parser accepts: RFC 8259's grammar, nested at most {@link #MAX_DEPTH} deep, numbers
 * and member names well under Jackson's length limits, no surrogate characters; anything else (an error, or merely
 * something unusual) it leaves to Jackson in {@link EventData}, whose verdict and message count.
 *
 * <p>Written by hand because every event's payload is checked on every append, and Jackson's streaming parser, which
 * is made to produce tokens rather than to say yes or no, took about 350 ns for a 200-byte payload on the benchmark
 * machine: with this scan in front, building such an event ({@code EventData.of}) went from about 370 to 150 ns, some
 * 10 % of a 1000-event append (docs/benchmarks.md, issue 12). {@code JsonObjectScanProperty} holds it to never
 * accepting a text Jackson refuses.
 */
final class JsonObjectScan {
    /** Far below Jackson's nesting limit (1000 in the versions Cairn supports). */
    static final int MAX_DEPTH = 64;
    /** Far below Jackson's limits for a number's length (1000) and a name's (50,000). */
    private static final int MAX_NUMBER = 100;
    private static final int MAX_NAME = 1000;

    private final String text;
    private int at;

    private JsonObjectScan(String text) {
        this.text = text;
    }

    /** Whether {@code text} is surely one JSON object with nothing after it but whitespace; false means "not sure". */
    static boolean surelyObject(String text) {
        JsonObjectScan scan = new JsonObjectScan(text);
        scan.whitespace();
        if (!scan.object(1)) {
            return false;
        }
        scan.whitespace();
        return scan.at == text.length();
    }

    private boolean object(int depth) {
        return members(depth, '{', '}', true);
    }

    private boolean array(int depth) {
        return members(depth, '[', ']', false);
    }

    /**
     * An object's or an array's brackets around its members separated by commas; an object's members are named (a
     * string and a colon before each value).
     */
    private boolean members(int depth, char open, char close, boolean named) {
        if (depth > MAX_DEPTH || !next(open)) {
            return false;
        }
        whitespace();
        if (next(close)) {
            return true;
        }
        while (true) {
            if (named && !name()) {
                return false;
            }
            if (!value(depth)) {
                return false;
            }
            whitespace();
            if (next(close)) {
                return true;
            }
            if (!next(',')) {
                return false;
            }
            whitespace();
        }
    }

    /** A member's name and its colon, with the whitespace after each. */
    private boolean name() {
        int start = at;
        if (!string() || at - start > MAX_NAME) {
            return false;
        }
        whitespace();
        if (!next(':')) {
            return false;
        }
        whitespace();
        return true;
    }

    private boolean value(int depth) {
        if (at >= text.length()) {
            return false;
        }
        return switch (text.charAt(at)) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> word("true");
            case 'f' -> word("false");
            case 'n' -> word("null");
            default -> number();
        };
    }

    private boolean string() {
        if (!next('"')) {
            return false;
        }
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return true;
            }
            if (c < 0x20 || Character.isSurrogate(c)) {
                return false;
            }
            if (c == '\\') {
                if (at >= text.length()) {
                    return false;
                }
                char escaped = text.charAt(at++);
                if (escaped == 'u') {
                    if (at + 4 > text.length()) {
                        return false;
                    }
                    for (int i = 0; i < 4; i++) {
                        if (Character.digit(text.charAt(at++), 16) < 0) {
                            return false;
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(escaped) < 0) {
                    return false;
                }
            }
        }
        return false;
    }

    /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?} */
    private boolean number() {
        int start = at;
        next('-');
        if (next('0')) {
            // no more integer digits after a leading zero
        } else if (!digits()) {
            return false;
        }
        if (next('.') && !digits()) {
            return false;
        }
        if (next('e') || next('E')) {
            if (!next('+')) {
                next('-');
            }
            if (!digits()) {
                return false;
            }
        }
        return at - start <= MAX_NUMBER;
    }

    private boolean digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at > start;
    }

    private boolean word(String word) {
        if (!text.startsWith(word, at)) {
            return false;
        }
        at += word.length();
        return true;
    }

    private boolean next(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void whitespace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }
}
