package dev.cairn.runs.internal;

import java.security.SecureRandom;
import java.util.UUID;

/** UUID version 7 (RFC 9562): time first, so run and step ids sort in the order they were made. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    static String next(long epochMillis) {
        long high = (epochMillis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
        long low = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
