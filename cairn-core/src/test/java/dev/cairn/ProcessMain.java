package dev.cairn;

import java.nio.file.Path;
import dev.cairn.maintenance.MigrationInfo;
import java.time.Duration;
import java.util.List;

/**
 * The child side of multi-process tests: {@code open PATH GO} (creates and migrates, printing the migrations this
 * process applied), {@code hold PATH MILLIS} (a write transaction), {@code write PATH COUNT BASE GO} (COUNT rows from
 * id BASE, printing its work window). Children given GO start only when it appears (see {@link Jvm#readyThenAwait}).
 */
public final class ProcessMain {
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[1]);
        switch (args[0]) {
            case "open" -> {
                // Ready before opening: what runs at once here is creating and migrating the fresh file.
                Jvm.readyThenAwait(Path.of(args[2]));
                long start = Jvm.now();
                try (Cairn db = Cairn.builder().path(path).migrate(false).open()) {
                    List<Integer> applied = db.migrate().stream().map(MigrationInfo::version).toList();
                    System.out.println(new Jvm.Window("open", start, Jvm.now()).line());
                    System.out.println("applied " + applied);
                    System.out.println("opened at schema " + db.status().schemaVersion());
                }
            }
            case "hold" -> {
                try (Cairn db = Cairn.open(path); Transaction tx = db.begin()) {
                    Scratch.create(tx);
                    Scratch.insert(tx, 1, "held by another process");
                    System.out.println("holding");
                    System.out.flush();
                    Thread.sleep(Long.parseLong(args[2]));
                    tx.commit();
                }
            }
            case "write" -> {
                int count = Integer.parseInt(args[2]);
                long base = Long.parseLong(args[3]);
                try (Cairn db = Cairn.builder().path(path).busyTimeout(Duration.ofSeconds(30)).open()) {
                    Jvm.readyThenAwait(Path.of(args[4]));
                    long start = Jvm.now();
                    for (int i = 0; i < count; i++) {
                        Scratch.insert(db, base + i, "from process " + base);
                    }
                    System.out.println(new Jvm.Window("process-" + base, start, Jvm.now()).line());
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
