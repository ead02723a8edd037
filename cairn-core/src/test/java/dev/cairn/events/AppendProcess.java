package dev.cairn.events;

import dev.cairn.Cairn;
import dev.cairn.Jvm;
import java.nio.file.Path;

/**
 * Another process appending to a shared log: {@code AppendProcess LOCATION NAME COUNT GO} opens the store, reports
 * ready and waits for GO (see {@link Jvm#readyThenAwait}), appends COUNT events to the shared stream (any version) and
 * COUNT to its own stream (exact versions), then prints its work window and {@code done}.
 */
public final class AppendProcess {
    private AppendProcess() {}

    public static void main(String[] args) {
        String db = args[0];
        String name = args[1];
        int count = Integer.parseInt(args[2]);
        try (Cairn cairn = Cairn.open(db)) {
            EventLog log = cairn.events();
            Jvm.readyThenAwait(Path.of(args[3]));
            long start = Jvm.now();
            for (int i = 0; i < count; i++) {
                log.append("shared:log", ExpectedVersion.any(), ConcurrentAppendTest.event(name, i));
                log.append("own:" + name, i == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exact(i - 1),
                        ConcurrentAppendTest.event(name, i));
            }
            System.out.println(new Jvm.Window(name, start, Jvm.now()).line());
        }
        System.out.println("done");
    }
}
