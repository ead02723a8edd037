package dev.cairn.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.LogPosition;
import dev.cairn.events.Subscription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process that opens and closes many stores keeps no wake-up signal for a store it closed. */
class LogSignalTest {
    @TempDir
    Path dir;

    @Test
    void closingTheLastStoreOnALocationForgetsItsSignal() throws Exception {
        List<String> locations = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Path file = dir.resolve("store-" + i + ".db");
            try (Cairn db = Cairn.open(file); Cairn second = Cairn.open(file)) {
                String location = db.location();
                locations.add(location);
                CountDownLatch woken = new CountDownLatch(2);
                Subscription one = db.events().subscribe(LogPosition.START, event -> woken.countDown());
                second.events().subscribe(LogPosition.START, event -> woken.countDown());
                // Positive control: while subscriptions run, the location has its signal, and an append in one store
                // wakes the subscription of the other.
                assertThat(LogSignal.locations()).contains(location);
                db.events().append("test:s", ExpectedVersion.noStream(), EventData.of("e", "{}"));
                assertThat(woken.await(10, TimeUnit.SECONDS)).isTrue();
                one.close();
                assertThat(LogSignal.locations()).as("one subscription still runs").contains(location);
            }
            assertThat(LogSignal.locations()).as("after closing both stores").doesNotContain(locations.get(i));
        }
        assertThat(locations).hasSize(20);
        assertThat(LogSignal.locations()).doesNotContainAnyElementsOf(locations);
    }
}
