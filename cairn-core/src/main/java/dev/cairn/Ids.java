package dev.cairn;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * New ids that sort in the order they were made: the one generator behind every id Cairn makes (event ids, run and
 * step ids, goal ids, task claim tokens), and the one to use when a caller chooses an event id itself.
 *
 * <p>Each id is a UUID version 7 (RFC 9562): 48 bits of Unix epoch milliseconds, then a 12-bit counter in
 * {@code rand_a} (RFC 9562 method 1), then 62 random bits. Ids sit under unique indexes; a random id lands on a random
 * page of a large index, a time-ordered one on its last page, which is what keeps appends to a large log fast. The
 * timestamp and counter come from one atomic value, so ids made in one process strictly increase (as numbers and as
 * text) even within one millisecond or when the wall clock steps back: the counter then carries into the timestamp,
 * which runs ahead of the clock until the clock catches up. The random bits keep ids of different processes apart.
 * The wall clock is used, not a store's injected clock: the order that matters is the order rows reach the index.
 *
 * <p>It is public, in the API, because {@link dev.cairn.events.EventData} makes event ids and API types must compile
 * against the API alone; a small class of its own, rather than a method on {@code EventData}, because goals, runs and
 * tasks use it too.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int COUNTER_BITS = 12;

    /** Milliseconds shifted left by {@link #COUNTER_BITS}, plus the counter: the last value handed out. */
    private static final AtomicLong LAST = new AtomicLong();

    private Ids() {}

    /** A new UUID version 7, greater than every other this process has made. */
    public static UUID next() {
        long now = System.currentTimeMillis() << COUNTER_BITS;
        long stamp = LAST.updateAndGet(last -> Math.max(now, last + 1));
        long high = ((stamp >>> COUNTER_BITS) << 16) | 0x7000L | (stamp & 0x0fffL);
        long low = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
