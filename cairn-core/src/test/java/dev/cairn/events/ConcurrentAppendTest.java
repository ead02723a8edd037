package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.Jvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 threads of this JVM and 2 other processes append to one shared stream and to a stream each, while a subscription
 * started before them all watches: nothing is lost, no version is given twice, and the subscriber sees every event
 * exactly once in the log's order.
 */
class ConcurrentAppendTest {
    static final int THREADS = 8;
    static final int PROCESSES = 2;
    static final int PER_WRITER = 150;

    @TempDir
    Path dir;

    /** Where the store under test lives: a SQLite file here, a PostgreSQL schema in the Postgres variant. */
    String location() {
        return dir.resolve("shared.db").toString();
    }

    static EventData event(String writer, int n) {
        return EventData.of("load.appended", "{\"writer\":\"" + writer + "\",\"n\":" + n + "}");
    }

    @Test
    void threadsAndProcessesLoseNothingAndNeverDuplicateAVersion() throws Exception {
        String file = location();
        int writers = THREADS + PROCESSES;
        int total = writers * PER_WRITER * 2;
        try (Cairn db = Cairn.open(file)) {
            List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
            CountDownLatch all = new CountDownLatch(total);
            try (Subscription subscription = db.events().subscribe(LogPosition.START, event -> {
                seen.add(event);
                all.countDown();
            })) {
                Path go = dir.resolve("go");
                List<Jvm.Child> processes = new ArrayList<>();
                for (int p = 0; p < PROCESSES; p++) {
                    processes.add(Jvm.child(AppendProcess.class, file, "process-" + p, Integer.toString(PER_WRITER),
                            go.toString()));
                }
                // Every writer, thread or process, starts on one signal once all are ready, so that they truly
                // append at the same time; each reports when it worked, and the windows must overlap.
                CountDownLatch start = new CountDownLatch(1);
                List<Jvm.Window> windows = new CopyOnWriteArrayList<>();
                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    String name = "thread-" + t;
                    futures.add(pool.submit(() -> {
                        EventLog log = db.events();
                        start.await();
                        long began = Jvm.now();
                        for (int i = 0; i < PER_WRITER; i++) {
                            log.append("shared:log", ExpectedVersion.any(), event(name, i));
                            log.append("own:" + name, i == 0 ? ExpectedVersion.noStream()
                                    : ExpectedVersion.exact(i - 1), event(name, i));
                        }
                        windows.add(new Jvm.Window(name, began, Jvm.now()));
                        return null;
                    }));
                }
                for (Jvm.Child process : processes) {
                    process.awaitReady();
                }
                Jvm.go(go);
                start.countDown();
                for (Future<?> future : futures) {
                    future.get();
                }
                pool.shutdown();
                for (Jvm.Child process : processes) {
                    String output = process.finish();
                    assertThat(output).contains("done");
                    windows.add(Jvm.Child.windowIn(output));
                }
                assertThat(windows).hasSize(writers);
                assertThat(Jvm.Window.overlap(windows)).as("every writer appended at once: %s", windows).isTrue();
                assertThat(all.await(2, TimeUnit.MINUTES)).as("the subscriber saw all %d events", total).isTrue();
                assertThat(subscription.failure()).isEmpty();
            }

            List<RecordedEvent> log = db.events().replayAll().toList();
            assertThat(log).hasSize(total);
            assertThat(log).extracting(RecordedEvent::position).doesNotHaveDuplicates().isSorted();
            assertThat(log).extracting(RecordedEvent::sequence).doesNotHaveDuplicates()
                    .allMatch(sequence -> sequence >= 1 && sequence <= total, "sequences 1 to " + total);
            Map<String, List<Long>> versions = log.stream().collect(Collectors.groupingBy(RecordedEvent::streamId,
                    Collectors.mapping(RecordedEvent::streamVersion, Collectors.toList())));
            assertThat(versions).hasSize(1 + writers);
            for (Map.Entry<String, List<Long>> stream : versions.entrySet()) {
                int expected = stream.getKey().equals("shared:log") ? writers * PER_WRITER : PER_WRITER;
                List<Long> contiguous = new ArrayList<>();
                for (long v = 0; v < expected; v++) {
                    contiguous.add(v);
                }
                assertThat(stream.getValue()).as(stream.getKey()).containsExactlyElementsOf(contiguous);
            }
            // Each writer's own events arrived in its own order.
            Map<String, Integer> next = new HashMap<>();
            for (RecordedEvent event : db.events().readStream("shared:log", 0).toList()) {
                String writer = event.payloadTree().get("writer").asText();
                int n = event.payloadTree().get("n").asInt();
                assertThat(n).isEqualTo(next.getOrDefault(writer, 0));
                next.put(writer, n + 1);
            }

            // The subscriber: exactly the log, in order, once each.
            assertThat(seen).containsExactlyElementsOf(log);
        }
    }

}
