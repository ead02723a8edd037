package dev.cairn.events;

import dev.cairn.Cairn;

/**
 * Another process appending to a shared log: {@code AppendProcess LOCATION NAME COUNT} appends COUNT events to the shared
 * stream (any version) and COUNT to its own stream (exact versions), then prints {@code done}.
 */
public final class AppendProcess {
    private AppendProcess() {}

    public static void main(String[] args) {
        String db = args[0];
        String name = args[1];
        int count = Integer.parseInt(args[2]);
        try (Cairn cairn = Cairn.open(db)) {
            EventLog log = cairn.events();
            for (int i = 0; i < count; i++) {
                log.append("shared:log", ExpectedVersion.any(), ConcurrentAppendTest.event(name, i));
                log.append("own:" + name, i == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exact(i - 1),
                        ConcurrentAppendTest.event(name, i));
            }
        }
        System.out.println("done");
    }
}
