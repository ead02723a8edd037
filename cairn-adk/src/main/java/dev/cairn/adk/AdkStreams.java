package dev.cairn.adk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stream ids of ADK's sessions and of the state their app and user share: {@code adk-session:APP:USER:SESSION},
 * {@code adk-user:APP:USER}, {@code adk-app:APP}. Any text is a valid part: letters, digits, {@code .} and {@code -}
 * stand for themselves, {@code _} is written {@code __}, every other UTF-8 byte {@code _XX} (hex), so {@code :} only
 * ever separates parts and two different sessions never share a stream. An id over 200 characters keeps a readable
 * prefix of whole characters, then {@code _h} and the SHA-256 of its parts; no plain encoding contains {@code _h} after
 * whole characters, so a hashed id never equals another session's plain one. The streams' first events name their app,
 * user and session, so nothing needs to be decoded.
 */
final class AdkStreams {
    static final String SESSION_KIND = "adk-session";
    static final String USER_KIND = "adk-user";
    static final String APP_KIND = "adk-app";
    private static final int MAX = 200;
    private static final int PREFIX = 120;

    private AdkStreams() {}

    static String session(String app, String user, String session) {
        return SESSION_KIND + ":" + join(app, user, session);
    }

    static String user(String app, String user) {
        return USER_KIND + ":" + join(app, user);
    }

    static String app(String app) {
        return APP_KIND + ":" + join(app);
    }

    private static String join(String... parts) {
        StringBuilder out = new StringBuilder();
        int boundary = 0; // the longest prefix of whole characters that fits before a hash
        for (int p = 0; p < parts.length; p++) {
            if (p > 0) {
                out.append(':');
            }
            String part = parts[p];
            for (int i = 0; i < part.length(); ) {
                int codePoint = part.codePointAt(i);
                i += Character.charCount(codePoint);
                encode(codePoint, out);
                if (out.length() <= PREFIX) {
                    boundary = out.length();
                }
            }
            if (out.length() <= PREFIX) {
                boundary = out.length();
            }
        }
        if (out.length() <= MAX && out.length() > 0) {
            return out.toString();
        }
        return out.substring(0, boundary) + "_h" + sha256(parts);
    }

    private static void encode(int codePoint, StringBuilder out) {
        if (codePoint >= 'a' && codePoint <= 'z' || codePoint >= 'A' && codePoint <= 'Z'
                || codePoint >= '0' && codePoint <= '9' || codePoint == '.' || codePoint == '-') {
            out.append((char) codePoint);
        } else if (codePoint == '_') {
            out.append("__");
        } else {
            for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                out.append('_').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
    }

    private static String sha256(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                // Length-prefixed, so ("ab", "c") and ("a", "bc") hash apart.
                digest.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
                        (byte) (bytes.length >>> 8), (byte) bytes.length});
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
