package dev.cairn.server.internal.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Text for HTML: every value that came from the store passes through {@link #esc} before it reaches a page. */
final class Html {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private Html() {}

    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A path segment for a link: ids may hold any character. */
    static String seg(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String time(Instant instant) {
        return instant == null ? "" : "<time datetime=\"" + instant + "\">" + TIME.format(instant) + "</time>";
    }

    static String duration(Duration duration) {
        long ms = duration.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = duration.toSeconds();
        return s < 120 ? String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0) : s / 60 + " min " + s % 60 + " s";
    }

    static String seconds(long seconds) {
        return seconds < 120 ? seconds + " s" : seconds / 60 + " min";
    }

    /** A status word as a badge; its colour comes from the stylesheet, its meaning from the text. */
    static String badge(Object status) {
        String word = esc(status);
        return "<span class=\"badge s-" + word + "\">" + word + "</span>";
    }

    static String num(double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value);
    }
}
