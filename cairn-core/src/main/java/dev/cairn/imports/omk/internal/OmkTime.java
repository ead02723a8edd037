package dev.cairn.imports.omk.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** omk's times and durations: RFC 3339 text with 0 to 9 fractional digits and any offset, and budget strings. */
final class OmkTime {
    /** chrono's serde form: {@code Z} or an offset, and 0, 3, 6 or 9 fractional digits (any count 0-9 is read). */
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME)
            .appendOffset("+HH:MM", "Z").toFormatter();
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)\\s*([smhd]?)");
    private static final Pattern DURATION = Pattern.compile("(\\d+\\s*[smhd]?\\s*)+");

    private OmkTime() {}

    static Instant parse(String text) {
        return OffsetDateTime.parse(text.strip(), RFC_3339).toInstant();
    }

    /** Whether a time has digits below the millisecond, which Cairn's columns (epoch milliseconds) do not keep. */
    static boolean finerThanMillis(Instant time) {
        return time.getNano() % 1_000_000 != 0;
    }

    /**
     * A budget string as seconds: {@code <n>s|m|h|d} (omk's normal form), a bare number of seconds, or parts of both
     * ({@code 1h30m}); null when it reads as none of these.
     */
    static Long seconds(String budget) {
        String text = budget.strip().toLowerCase(java.util.Locale.ROOT);
        if (text.isEmpty() || !DURATION.matcher(text).matches()) {
            return null;
        }
        long total = 0;
        Matcher part = DURATION_PART.matcher(text);
        try {
            while (part.find()) {
                long n = Long.parseLong(part.group(1));
                long unit = switch (part.group(2)) {
                    case "m" -> 60;
                    case "h" -> 3600;
                    case "d" -> 86_400;
                    default -> 1;
                };
                total = Math.addExact(total, Math.multiplyExact(n, unit));
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        return total;
    }

    /** Whether {@code text} reads as an RFC 3339 time. */
    static boolean isTime(String text) {
        try {
            parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
