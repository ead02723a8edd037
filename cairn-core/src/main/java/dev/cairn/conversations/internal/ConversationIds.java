package dev.cairn.conversations.internal;

import dev.cairn.conversations.Conversations;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Encodes any conversation id into the id part of a stream id ({@code [A-Za-z0-9._:-]{1,200}}), reversibly:
 * letters, digits, {@code . : -} stand for themselves, {@code _} is written {@code __}, every other UTF-8 byte is
 * {@code _} and two upper-case hex digits, and the empty id is {@code _}. An encoding over 200 characters is replaced
 * by its first 120 characters, {@code _h} and the SHA-256 of the id: that cannot be decoded, so the stream's first
 * event names the conversation (see {@link EventConversations}).
 */
final class ConversationIds {
    private static final int MAX = 200;
    private static final String HASHED = "_h";

    private ConversationIds() {}

    static String streamId(String conversationId) {
        return Conversations.KIND + ":" + encode(conversationId);
    }

    static String encode(String id) {
        if (id.isEmpty()) {
            return "_";
        }
        StringBuilder out = new StringBuilder(id.length() + 8);
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == ':'
                    || c == '-') {
                out.append((char) c);
            } else if (c == '_') {
                out.append("__");
            } else {
                out.append('_').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        if (out.length() <= MAX) {
            return out.toString();
        }
        // Cut where no escape is split, so the readable prefix stays readable.
        int cut = 120;
        while (cut > 0 && out.charAt(cut - 1) == '_' || cut > 1 && out.charAt(cut - 2) == '_') {
            cut--;
        }
        return out.substring(0, cut) + HASHED + sha256(id);
    }

    /** The conversation id a stream id part encodes, or null when it was hashed (or is not an encoding at all). */
    static String decode(String encoded) {
        if (encoded.equals("_")) {
            return "";
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c != '_') {
                bytes.write(c);
            } else if (i + 1 < encoded.length() && encoded.charAt(i + 1) == '_') {
                bytes.write('_');
                i++;
            } else if (i + 2 < encoded.length() && hex(encoded.charAt(i + 1)) >= 0 && hex(encoded.charAt(i + 2)) >= 0) {
                bytes.write(hex(encoded.charAt(i + 1)) << 4 | hex(encoded.charAt(i + 2)));
                i += 2;
            } else {
                return null;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static String sha256(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
