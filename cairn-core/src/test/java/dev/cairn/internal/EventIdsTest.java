package dev.cairn.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Ids;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The derivation of event ids: one id per sequence, each leading back to its sequence, and per store its own. */
class EventIdsTest {
    private final EventIds ids = EventIds.forStore("0f1e2d3c4b5a69788796a5b4c3d2e1f0");

    @Test
    void distinctSequencesGetDistinctIdsThatLeadBackToThem() {
        Set<UUID> seen = new HashSet<>();
        long at = 1_767_225_600_000L;
        for (long sequence = 0; sequence < 500_000; sequence++) {
            UUID id = ids.derive(sequence, at); // all in one millisecond: only the sequence tells them apart
            assertThat(seen.add(id)).as("id of %d", sequence).isTrue();
            assertThat(ids.sequenceOf(id)).isEqualTo(sequence);
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long sequence = random.nextLong(1L << 62);
            assertThat(ids.sequenceOf(ids.derive(sequence, random.nextLong(1L << 47)))).isEqualTo(sequence);
        }
    }

    @Test
    void anotherStoreDerivesOtherIdsAndChosenIdsRarelyLookDerived() {
        EventIds other = EventIds.forStore("0f1e2d3c4b5a69788796a5b4c3d2e1f1");
        int same = 0;
        for (long sequence = 1; sequence <= 10_000; sequence++) {
            UUID mine = ids.derive(sequence, 1000);
            if (mine.equals(other.derive(sequence, 1000))) {
                same++;
            }
            assertThat(other.sequenceOf(mine)).as("another store's id").isNotEqualTo(sequence);
        }
        assertThat(same).isZero();
        int looksDerived = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            if (ids.sequenceOf(Ids.next()) >= 0) {
                looksDerived++;
            }
        }
        // One in 4096 passes the cheap test (then a primary-key lookup settles it); far more would mean a weak mix.
        assertThat(looksDerived).isBetween(1, 3 * n / 4096);
        assertThat(ids.sequenceOf(UUID.randomUUID())).as("a version 4 id").isEqualTo(-1);
    }
}
