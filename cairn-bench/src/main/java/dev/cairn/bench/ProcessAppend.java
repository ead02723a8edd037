package dev.cairn.bench;

import dev.cairn.Cairn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One of the two processes of the two-process workload: appends single events, each in its own commit, to its own
 * stream of a shared file for a fixed time, then prints how many it appended.
 */
public final class ProcessAppend {
    public static void main(String[] args) throws Exception {
        String side = args[0];
        Path file = Path.of(args[1]);
        long until = System.nanoTime() + Duration.ofMillis(Long.parseLong(args[2])).toNanos();
        String stream = "thread:process-" + ProcessHandle.current().pid();
        long count = 0;
        if (side.equals("cairn")) {
            try (Cairn db = Cairn.builder().path(file).busyTimeout(Duration.ofSeconds(60)).open()) {
                while (System.nanoTime() < until) {
                    db.events().append(stream, Workloads.expect(count - 1), List.of(Workloads.event()));
                    count++;
                }
            }
        } else if (side.equals("hand")) {
            try (HandWrittenEvents hand = new HandWrittenEvents(file, "NORMAL")) {
                while (System.nanoTime() < until) {
                    hand.append(stream, count - 1, 1, Workloads.TYPE, Workloads.PAYLOAD);
                    count++;
                }
            }
        } else {
            try (RawEvents raw = new RawEvents(file)) {
                while (System.nanoTime() < until) {
                    raw.appendOne(stream, count++, Workloads.TYPE, Workloads.PAYLOAD);
                }
            }
        }
        System.out.println(count);
    }
}
