package dev.cairn.events;

import dev.cairn.Cairn;
import dev.cairn.Jvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A process of writers whose appends commit late, for {@link PostgresGapFreeTailTest}: {@code LateCommitWriter
 * LOCATION NAME THREADS COUNT GO} opens the store, reports ready, waits for GO (see {@link Jvm#readyThenAwait}), then
 * each of THREADS threads makes COUNT appends: most in a transaction held open for a random 0-5 ms after the append
 * (so that appends that took their sequence later commit first), the others through the store's group commit; to
 * one of a few shared streams or to the thread's own, sometimes to both at once. Prints its work window and
 * {@code done}.
 */
public final class LateCommitWriter {
    static final List<String> SHARED = List.of("shared:s0", "shared:s1", "shared:s2");

    private LateCommitWriter() {}

    public static void main(String[] args) throws Exception {
        String location = args[0];
        String name = args[1];
        int threads = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        try (Cairn db = Cairn.builder().location(location).busyTimeout(Duration.ofSeconds(60)).open()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            Jvm.readyThenAwait(Path.of(args[4]));
            long start = Jvm.now();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String writer = name + "-" + t;
                futures.add(pool.submit(() -> {
                    write(db, writer, count);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            pool.shutdown();
            System.out.println(new Jvm.Window(name, start, Jvm.now()).line());
        }
        System.out.println("done");
    }

    static EventData event(String writer, int n) {
        return EventData.of("late.appended", "{\"writer\":\"" + writer + "\",\"n\":" + n + "}");
    }

    private static void write(Cairn db, String writer, int count) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < count; i++) {
            String shared = SHARED.get(random.nextInt(SHARED.size()));
            List<StreamAppend> appends = switch (random.nextInt(3)) {
                case 0 -> List.of(StreamAppend.of(shared, ExpectedVersion.any(), event(writer, i)));
                case 1 -> List.of(StreamAppend.of("own:" + writer, ExpectedVersion.any(), event(writer, i)));
                default -> List.of(StreamAppend.of("own:" + writer, ExpectedVersion.any(), event(writer, i)),
                        StreamAppend.of(shared, ExpectedVersion.any(), event(writer, i)));
            };
            if (random.nextInt(4) == 0) {
                db.events().appendAll(appends);
            } else {
                int delay = random.nextInt(6);
                db.useTransaction(tx -> {
                    tx.events().appendAll(appends);
                    sleep(delay); // committed late: appends that came after it commit first
                });
            }
        }
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
