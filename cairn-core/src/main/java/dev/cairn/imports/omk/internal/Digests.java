package dev.cairn.imports.omk.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, of files (streamed) and of the parts that make up a goal's content. */
final class Digests {
    private Digests() {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** A file's SHA-256 as 64 lower-case hex digits, and its size, read in constant memory. */
    record FileDigest(String sha256, long size) {}

    static FileDigest file(Path file) throws IOException {
        MessageDigest digest = sha256();
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                size += n;
            }
        }
        return new FileDigest(HexFormat.of().formatHex(digest.digest()), size);
    }

    /** Adds a labelled part: its label, its length and its bytes, so that no two sequences of parts collide. */
    static void part(MessageDigest digest, String label, byte[] bytes) {
        digest.update(label.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(Long.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(bytes);
    }

    static void part(MessageDigest digest, String label, String text) {
        part(digest, label, text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8));
    }
}
