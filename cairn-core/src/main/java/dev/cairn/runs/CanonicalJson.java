package dev.cairn.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.InvalidInputException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The RFC 8785 (JCS) canonical form of a JSON value: object keys sorted by UTF-16 code units at every depth, numbers
 * written as ECMAScript writes a double, strings with the minimal escaping, no whitespace.
 *
 * <p>Hand-written because the one Java implementation on Maven Central (io.github.erdtman:java-json-canonicalization
 * 1.1) has not been released since 2018 and brings its own JSON parser, while Cairn already holds a Jackson tree; the
 * scheme itself needs only these few rules. The shortest round-tripping digits of a double are found with
 * {@link BigDecimal} rather than {@link Double#toString(double)}, which on Java 17 sometimes prints more digits than
 * needed (JDK-4511638) and would make the hash depend on the JDK.
 */
final class CanonicalJson {
    private CanonicalJson() {}

    static String of(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
            // String.compareTo orders by UTF-16 code units, exactly what RFC 8785 section 3.2.3 asks for.
            fields.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(fields.get(i).getKey(), out);
                out.append(':');
                write(fields.get(i).getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            Iterator<JsonNode> elements = node.elements();
            for (int i = 0; elements.hasNext(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(elements.next(), out);
            }
            out.append(']');
        } else if (node.isNumber()) {
            out.append(number(node.doubleValue()));
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else if (node.isTextual()) {
            string(node.textValue(), out);
        } else {
            // Binary and POJO nodes have no JSON text of their own; their textual form is what would be written.
            string(node.asText(), out);
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** ECMAScript's Number.prototype.toString for a double (ECMA-262 section 6.1.6.1.20), as RFC 8785 requires. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new InvalidInputException("JSON has no form for " + value + "; use a finite number or a string");
        }
        if (value == 0) {
            return "0"; // also -0
        }
        if (value < 0) {
            return "-" + number(-value);
        }
        BigDecimal shortest = shortestDigits(value);
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        // value = digits * 10^(n - k)
        int n = k - shortest.scale();
        if (k <= n && n <= 21) {
            return digits + "0".repeat(n - k);
        }
        if (0 < n && n <= 21) {
            return digits.substring(0, n) + "." + digits.substring(n);
        }
        if (-6 < n && n <= 0) {
            return "0." + "0".repeat(-n) + digits;
        }
        int exponent = n - 1;
        String sign = exponent < 0 ? "-" : "+";
        String mantissa = k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return mantissa + "e" + sign + Math.abs(exponent);
    }

    /** The fewest decimal digits that read back as the same double; of several, the one closest to it. */
    private static BigDecimal shortestDigits(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() == value) {
                return rounded.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }
}
