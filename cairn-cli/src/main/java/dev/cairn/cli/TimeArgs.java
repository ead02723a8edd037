package dev.cairn.cli;

import dev.cairn.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ages and times as people type them on a command line: {@code 90d}, {@code 12h}, {@code 2025-03-01T10:00Z}. */
final class TimeArgs {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d|w)");

    private TimeArgs() {}

    /** A positive duration: a number and a unit (ms, s, m, h, d, w), or ISO-8601 such as {@code PT36H}. */
    static Duration duration(String option, String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(value);
        Duration duration = null;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            duration = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        } else if (value.startsWith("p")) {
            try {
                duration = Duration.parse(value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                duration = null;
            }
        }
        if (duration == null) {
            throw new InvalidInputException(option + ": '" + text + "' is not a duration; write a number and a unit "
                    + "(ms, s, m, h, d, w) such as 90d, 12h or 30m");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new InvalidInputException(option + ": '" + text + "' must be longer than zero");
        }
        return duration;
    }

    /** A point in time: a duration ago ({@code 12h}), an instant, a date-time with offset, or a date (UTC). */
    static Instant since(String option, String text, Instant now) {
        String value = text == null ? "" : text.strip();
        if (SHORT.matcher(value.toLowerCase(Locale.ROOT)).matches() || value.toUpperCase(Locale.ROOT).startsWith("P")) {
            return now.minus(duration(option, value));
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notInstant) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notOffset) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocal) {
            // try the next form
        }
        try {
            return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notDate) {
            throw new InvalidInputException(option + ": '" + text + "' is neither a duration (90d, 12h, 30m) nor a "
                    + "time (2025-03-01, 2025-03-01T10:00:00Z; times without an offset are UTC)");
        }
    }

    /** A duration for people: {@code 840 ms}, {@code 12.4 s}, {@code 3m 05s}, {@code 2h 10m}, {@code 3d 4h}. */
    static String human(Duration duration) {
        long ms = duration.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd %dh", s / 86_400, s % 86_400 / 3600);
    }
}
