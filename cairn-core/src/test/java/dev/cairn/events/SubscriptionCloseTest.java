package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Cairn;
import dev.cairn.TransactionStateException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing a store ends its subscriptions at once, cleanly: not by letting them fail on the closed connections. */
class SubscriptionCloseTest {
    @TempDir
    Path dir;

    /** Where the store under test lives: a SQLite file here, a PostgreSQL schema in the Postgres variant. */
    String location() {
        return dir.resolve("close.db").toString();
    }

    @Test
    void closingTheStoreEndsEverySubscription() throws Exception {
        String location = location();
        List<Long> delivered = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> deliveringThread = new AtomicReference<>();
        CountDownLatch first = new CountDownLatch(2);
        Subscription one;
        Subscription two;
        try (Cairn writer = Cairn.open(location)) {
            Cairn db = Cairn.open(location);
            one = db.events().subscribe(LogPosition.START, event -> {
                deliveringThread.set(Thread.currentThread());
                delivered.add(event.sequence());
                first.countDown();
            });
            two = db.events().subscribe(LogPosition.START, event -> first.countDown());
            writer.events().append("test:s", ExpectedVersion.noStream(), EventData.of("e", "{}"));
            assertThat(first.await(10, TimeUnit.SECONDS)).as("both subscriptions delivered the first event").isTrue();
            assertThat(one.isRunning()).isTrue();

            db.close();

            assertThat(one.isRunning()).as("reports closed as soon as the store is").isFalse();
            assertThat(two.isRunning()).isFalse();
            assertThat(deliveringThread.get().isAlive()).as("its thread has ended").isFalse();
            assertThatThrownBy(() -> db.events().subscribe(LogPosition.START, event -> {}))
                    .isInstanceOf(TransactionStateException.class).hasMessageContaining("is closed");
            // Appends from a store still open no longer reach the closed store's handlers.
            writer.events().append("test:s", ExpectedVersion.exact(0), EventData.of("e", "{}"));
            Thread.sleep(300);
            assertThat(delivered).containsExactly(1L);
        }
        assertThat(one.failure()).as("closed, not failed").isEmpty();
        assertThat(two.failure()).isEmpty();
    }
}
