package dev.cairn.internal;

import java.util.UUID;

/**
 * The ids of events appended without one: not generated and stored, but derived from the store's id, the event's
 * sequence and the time it was recorded, whenever the event is read.
 *
 * <p>Why: an id the caller never chose is needed only to name the event, and a stored one costs every append a 16-byte
 * column and an entry in a unique index, a third B-tree beside the table and the stream index. Measured on SQLite
 * with 1000-event transactions into a log of 1M events, the table with both ran at 0.65 of the speed of the same
 * table without them (docs/benchmarks.md, issue 12). So the {@code events} table keeps {@code event_id} NULL for such
 * events and only ids given by callers (or copied from another store) under a partial unique index.
 *
 * <p>The derived id is a UUID version 7 (RFC 9562), so it reads like every other id Cairn makes: 48 bits of the event's
 * recorded time in Unix milliseconds, then 74 bits made from the sequence by a bijection keyed by the store's id. Within
 * one store no two events share a sequence, so no two derived ids are equal; ids of two stores (or a caller's own v7
 * ids) meet only with equal milliseconds and equal 74 bits, as likely as for two random v7 ids. A store copy carries
 * the store's id ({@code store_identity}), the sequences and the times, so the copy derives the same ids.
 */
public final class EventIds {
    private static final long LOW_62 = (1L << 62) - 1;

    private final long first;
    private final long second;
    private final long third;

    private EventIds(long first, long second, long third) {
        this.first = first;
        this.second = second;
        this.third = third;
    }

    /** The derivation of the store whose {@code store_identity.store_id} is {@code storeId}. */
    public static EventIds forStore(String storeId) {
        long a;
        long b;
        if (storeId.matches("[0-9a-f]{32}")) { // what migration 0001 writes on both dialects: 128 random bits as hex
            a = Long.parseUnsignedLong(storeId.substring(0, 16), 16);
            b = Long.parseUnsignedLong(storeId.substring(16), 16);
        } else {
            a = mix(storeId.hashCode());
            b = mix(a ^ storeId.length());
        }
        return new EventIds(mix(a), mix(b), mix(a ^ b));
    }

    /** The derivation of the store {@code connection} reads. */
    static EventIds read(java.sql.Connection connection) throws java.sql.SQLException {
        String storeId = Sql.one(connection, "SELECT store_id FROM store_identity WHERE id = 1", row -> row.getString(1))
                .orElseThrow(() -> new dev.cairn.CairnException("the store has no identity row (table store_identity); "
                        + "run 'cairn doctor'"));
        return forStore(storeId);
    }

    /**
     * Holds one store's derivation, read from the store when first needed (after its migrations have run) and kept:
     * the store's id never changes.
     */
    public static final class Holder {
        private volatile EventIds ids;

        public EventIds get(Engine engine) {
            EventIds known = ids;
            if (known == null) {
                known = engine.read(EventIds::read);
                ids = known;
            }
            return known;
        }
    }

    /** The id of the event stored without one at {@code sequence}, recorded at {@code recordedAtMillis}. */
    public UUID derive(long sequence, long recordedAtMillis) {
        long bits = permute(sequence);
        long high = (recordedAtMillis << 16) | 0x7000L | (mix(sequence ^ third) & 0x0fffL);
        long low = bits | 0x8000000000000000L;
        return new UUID(high, low);
    }

    /**
     * The sequence of the event whose derived id {@code id} would be, if it was recorded at the id's time; -1 when
     * {@code id} is no id this store derives, or null (none chosen). An id a caller chooses is checked with it: equal
     * to an event's derived id, it would name two events (the unique index holds only chosen ids).
     */
    public long sequenceOf(UUID id) {
        if (id == null) {
            return -1;
        }
        long low = id.getLeastSignificantBits();
        long high = id.getMostSignificantBits();
        if ((high & 0xf000L) != 0x7000L || (low & 0xc000000000000000L) != 0x8000000000000000L) {
            return -1;
        }
        long sequence = unpermute(low & LOW_62);
        return derive(sequence, high >>> 16).equals(id) ? sequence : -1;
    }

    /**
     * A bijection of the 62-bit values keyed by the store: each step (xor with a constant, multiplication by an odd
     * number modulo 2^62, an xor with the value shifted right) can be undone, so distinct sequences stay distinct.
     */
    private long permute(long sequence) {
        long x = (sequence ^ first) & LOW_62;
        x = (x * 0xBF58476D1CE4E5B9L) & LOW_62;
        x ^= x >>> 29;
        x = (x * 0x94D049BB133111EBL) & LOW_62;
        x ^= x >>> 31;
        return (x + second) & LOW_62;
    }

    /** The inverse of {@link #permute}, each step undone in reverse order. */
    private long unpermute(long bits) {
        long x = (bits - second) & LOW_62;
        x ^= x >>> 31; // a shift of at least half the width is its own inverse
        x = (x * inverse(0x94D049BB133111EBL)) & LOW_62;
        x ^= (x >>> 29) ^ (x >>> 58);
        x = (x * inverse(0xBF58476D1CE4E5B9L)) & LOW_62;
        return (x ^ first) & LOW_62;
    }

    /** The inverse of an odd number modulo 2^64 (so also modulo 2^62), by Newton's iteration. */
    private static long inverse(long odd) {
        long x = odd; // correct to 3 bits; each step doubles the correct bits
        for (int i = 0; i < 5; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }

    /** A 64-bit finaliser (SplitMix64's): spreads every input bit over the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
