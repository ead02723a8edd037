package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The one id generator: RFC 9562 version 7 layout, strictly increasing, unique across threads, stamped with the clock. */
class IdsTest {
    /** The 48-bit Unix epoch milliseconds at the front of a version 7 UUID. */
    static long millis(UUID id) {
        return id.getMostSignificantBits() >>> 16;
    }

    @Test
    void layoutIsVersion7WithTheRfcVariant() {
        for (int i = 0; i < 1_000; i++) {
            UUID id = Ids.next();
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2); // the RFC 9562 variant, bits 10
            assertThat(id.toString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        }
    }

    @Test
    void idsStrictlyIncreaseWithinOneThreadEvenWithinOneMillisecond() {
        int count = 50_000;
        List<UUID> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(Ids.next());
        }
        int sameMillisecond = 0;
        for (int i = 1; i < count; i++) {
            UUID before = ids.get(i - 1);
            UUID after = ids.get(i);
            // Both as text (what the indexes compare) and as unsigned 128-bit numbers.
            assertThat(after.toString()).as("id %d", i).isGreaterThan(before.toString());
            int byNumber = Long.compareUnsigned(after.getMostSignificantBits(), before.getMostSignificantBits());
            assertThat(byNumber).as("id %d", i).isPositive();
            if (millis(after) == millis(before)) {
                sameMillisecond++;
            }
        }
        assertThat(sameMillisecond).as("ids made in the same millisecond").isGreaterThan(count / 10);
    }

    @Test
    void idsMadeAtOnceOnManyThreadsAreUniqueAndEachThreadSeesThemIncrease() throws Exception {
        int threads = 8;
        int perThread = 20_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<UUID>>> made = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                made.add(pool.submit(() -> {
                    start.await();
                    List<UUID> ids = new ArrayList<>(perThread);
                    for (int i = 0; i < perThread; i++) {
                        ids.add(Ids.next());
                    }
                    return ids;
                }));
            }
            Set<UUID> all = new HashSet<>();
            Set<String> prefixes = new HashSet<>(); // timestamp and counter: unique within one process on their own
            for (Future<List<UUID>> future : made) {
                List<UUID> ids = future.get();
                assertThat(ids).hasSize(perThread);
                for (int i = 1; i < ids.size(); i++) {
                    assertThat(ids.get(i).toString()).isGreaterThan(ids.get(i - 1).toString());
                }
                all.addAll(ids);
                ids.forEach(id -> prefixes.add(id.toString().substring(0, 18)));
            }
            assertThat(all).hasSize(threads * perThread);
            assertThat(prefixes).hasSize(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theTimePrefixIsTheWallClock() throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            long before = System.currentTimeMillis();
            UUID id = Ids.next();
            long after = System.currentTimeMillis();
            assertThat(millis(id)).isBetween(before, after);
            Thread.sleep(2);
        }
    }
}
