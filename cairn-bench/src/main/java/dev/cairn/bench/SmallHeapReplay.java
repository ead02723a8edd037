package dev.cairn.bench;

import dev.cairn.Cairn;
import java.nio.file.Path;

/** Replays a whole log into typed records inside whatever heap the JVM was given, and prints count and seconds. */
public final class SmallHeapReplay {
    public static void main(String[] args) {
        long started = System.nanoTime();
        long[] count = {0};
        try (Cairn db = Cairn.builder().path(Path.of(args[0])).readOnly(true).open()) {
            db.events().replayAll().forEach(event -> {
                if (BenchEvent.CATALOGUE.decode(event).isPresent()) {
                    count[0]++;
                }
            });
        }
        System.out.println(count[0] + " " + (System.nanoTime() - started) / 1e9);
    }
}
