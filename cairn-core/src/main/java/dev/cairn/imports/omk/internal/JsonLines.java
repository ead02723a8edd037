package dev.cairn.imports.omk.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * The lines of an omk JSON Lines file, one at a time (a log of any length reads in constant memory), as omk's own
 * reader takes them: each line trimmed, blank lines skipped, CRLF and a missing final newline accepted. Each line says
 * whether a newline ended it, which is how a last line cut off by a killed writer is told from a complete one. The
 * SHA-256 of the file's bytes is computed on the way.
 */
final class JsonLines implements AutoCloseable {
    /** Longer than any line omk writes (an event's payload is bounded); a longer one is read no further. */
    static final int MAX_LINE_CHARS = 4 << 20;

    /** One non-blank line; {@code tooLong} when it exceeded {@link #MAX_LINE_CHARS} and was cut here. */
    record Line(long number, String text, boolean terminated, boolean tooLong) {}

    private final DigestInputStream bytes;
    private final Reader reader;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int limit;
    private long lineNumber;
    private final StringBuilder line = new StringBuilder();

    JsonLines(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        this.bytes = new DigestInputStream(in, Digests.sha256());
        this.reader = new InputStreamReader(bytes, StandardCharsets.UTF_8);
    }

    /** The next non-blank line, or null at the end of the file. */
    Line next() throws IOException {
        while (true) {
            line.setLength(0);
            boolean tooLong = false;
            boolean terminated = false;
            boolean any = false;
            while (true) {
                if (position == limit) {
                    limit = reader.read(buffer, 0, buffer.length);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        break;
                    }
                }
                any = true;
                char c = buffer[position++];
                if (c == '\n') {
                    terminated = true;
                    break;
                }
                if (line.length() < MAX_LINE_CHARS) {
                    line.append(c);
                } else {
                    tooLong = true;
                }
            }
            if (!any) {
                return null;
            }
            lineNumber++;
            String text = line.toString().strip();
            if (!text.isEmpty()) {
                return new Line(lineNumber, text, terminated, tooLong);
            }
            if (!terminated) {
                return null;
            }
        }
    }

    /** The SHA-256 of every byte read so far (all of them once {@link #next()} returned null). */
    MessageDigest digest() {
        return bytes.getMessageDigest();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
