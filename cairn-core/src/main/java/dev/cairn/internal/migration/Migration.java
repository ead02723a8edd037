package dev.cairn.internal.migration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A migration file as shipped in the jar. */
public record Migration(int version, String name, String fileName, String sql, String checksum) {
    static Migration of(String fileName, String text) {
        int underscore = fileName.indexOf('_');
        if (underscore < 1 || !fileName.endsWith(".sql")) {
            throw new IllegalStateException("migration file " + fileName + " is not named NNNN_name.sql");
        }
        int version = Integer.parseInt(fileName.substring(0, underscore));
        String name = fileName.substring(underscore + 1, fileName.length() - ".sql".length());
        // Line endings are normalised so that a checkout with CRLF does not look like an edited migration.
        String normalised = text.replace("\r\n", "\n");
        return new Migration(version, name, fileName, normalised, sha256(normalised));
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
