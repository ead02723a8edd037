package dev.cairn;

import java.nio.file.Path;
import java.time.Duration;

/** The child side of multi-process tests: {@code open PATH}, or {@code hold PATH MILLIS} (a write transaction). */
public final class ProcessMain {
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[1]);
        switch (args[0]) {
            case "open" -> {
                try (Cairn db = Cairn.open(path)) {
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
                    for (int i = 0; i < count; i++) {
                        Scratch.insert(db, base + i, "from process " + base);
                    }
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
