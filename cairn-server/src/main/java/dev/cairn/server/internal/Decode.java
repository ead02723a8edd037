package dev.cairn.server.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding of what a request's URI carries, in one place: malformed escapes are the client's mistake (400
 * {@link BadRequest}, not a 500), and only a query reads {@code +} as a space (in a path it is a plus).
 */
public final class Decode {
    private Decode() {}

    /** One path segment: {@code %XX} escapes decoded as UTF-8, {@code +} kept as it is. */
    public static String segment(String raw) {
        return decode(raw.replace("+", "%2B"), "path segment");
    }

    /** A query parameter's name or value ({@code application/x-www-form-urlencoded}: {@code +} is a space). */
    public static String query(String raw) {
        return decode(raw, "query parameter");
    }

    private static String decode(String raw, String what) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the " + what + " '" + raw + "' is not valid percent-encoding (a '%' must be "
                    + "followed by two hex digits; write a literal '%' as %25)");
        }
    }
}
