package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.Jvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays a log far larger than the heap of the JVM that replays it: 250,000 events of about 600 bytes (150 MB as
 * objects) through a 48 MB heap. Holding the events, or even a fraction of them, would end in OutOfMemoryError.
 */
class ConstantMemoryReplayTest {
    static final int EVENTS = 250_000;
    static final int BATCH = 1000;

    @TempDir
    Path dir;

    /** Where the store under test lives: a SQLite file here, a PostgreSQL schema in the Postgres variant. */
    String location() {
        return dir.resolve("large.db").toString();
    }

    @Test
    void replayRunsInASmallHeap() throws Exception {
        String location = location();
        Process process = Jvm.start(List.of("-Xmx48m"), Replayer.class, location);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output).contains("replayed " + EVENTS + " events, sequences 1.." + EVENTS + " in order");
    }

    /** Writes the large log in batches, then replays it, counting and checking order. */
    public static final class Replayer {
        private Replayer() {}

        public static void main(String[] args) {
            String filler = "x".repeat(500);
            try (Cairn db = Cairn.open(args[0])) {
                for (int start = 0; start < EVENTS; start += BATCH) {
                    List<EventData> batch = new ArrayList<>(BATCH);
                    for (int i = start; i < start + BATCH; i++) {
                        batch.add(EventData.of("bulk.loaded", "{\"i\":" + i + ",\"filler\":\"" + filler + "\"}"));
                    }
                    db.events().append("bulk:" + (start / 10_000), ExpectedVersion.any(), batch);
                }
                AtomicLong count = new AtomicLong();
                AtomicLong previous = new AtomicLong();
                db.events().replayAll().forEach(event -> {
                    if (event.sequence() != previous.get() + 1) {
                        throw new AssertionError("sequence " + event.sequence() + " after " + previous.get());
                    }
                    previous.set(event.sequence());
                    count.incrementAndGet();
                });
                System.out.println("replayed " + count.get() + " events, sequences 1.." + previous.get() + " in order");
            }
        }
    }
}
