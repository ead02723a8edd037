package dev.cairn.adk;

import com.google.adk.sessions.Session;
import dev.cairn.Cairn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Run in a child JVM by {@link TwoProcessesTest}: in each round, waits for the start, reads the session, says it is
 * ready, waits for the go, appends one event through the copy it read, and on a stale refusal reads again and retries
 * once. Prints one line per outcome: {@code won ROUND}, {@code stale ROUND MESSAGE}, {@code retried ROUND}.
 */
public final class AppenderMain {
    private AppenderMain() {}

    public static void main(String[] args) throws Exception {
        String location = args[0];
        String writer = args[1];
        int rounds = Integer.parseInt(args[2]);
        Path dir = Path.of(args[3]);
        try (Cairn db = Cairn.open(location)) {
            CairnSessionService service = new CairnSessionService(db);
            for (int round = 0; round < rounds; round++) {
                await(dir.resolve("start-" + round)); // every append of the round before has been stored
                Session copy = service.getSession("shop", "alice", "s1", Optional.empty()).blockingGet();
                Files.writeString(dir.resolve("ready-" + writer + "-" + round), "");
                await(dir.resolve("go-" + round));
                var event = DifferentialTest.event(writer + "-" + round, DifferentialTest.T0 + round, "user",
                        "from " + writer, Map.of("last", writer));
                try {
                    service.appendEvent(copy, event).blockingGet();
                    System.out.println("won " + round);
                } catch (StaleSessionException e) {
                    System.out.println("stale " + round + " " + e.getMessage());
                    copy = service.getSession("shop", "alice", "s1", Optional.empty()).blockingGet();
                    service.appendEvent(copy, event).blockingGet();
                    System.out.println("retried " + round);
                }
                System.out.flush();
                Files.writeString(dir.resolve("done-" + writer + "-" + round), "");
            }
        }
    }

    static void await(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + file + " within 60 s");
            }
            Thread.sleep(2);
        }
    }
}
