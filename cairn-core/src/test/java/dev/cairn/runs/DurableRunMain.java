package dev.cairn.runs;

import dev.cairn.Cairn;
import dev.cairn.ConflictException;
import dev.cairn.Durability;
import dev.cairn.Jvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The child side of {@link DurableRunProcessTest}: {@code crash DB KEY DIR} runs the twelve-step agent to its end,
 * printing {@code started} once its run is held and {@code finished N} after each step; {@code contend DB KEY DIR GO STALE_MS} waits for GO, then resumes
 * the run, printing {@code owner} or, while another holds it, {@code conflict} (and retrying until it takes over:
 * {@code took-over}); an owner runs the agent slowly, so that it is alive when it is killed.
 */
public final class DurableRunMain {
    static final int STEPS = 12;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dir = Path.of(args[3]);
        try (Cairn db = open(args[1])) {
            if (mode.equals("crash")) {
                RunScope run = db.runs().beginOrResume(args[2], null, null);
                System.out.println("started " + run.id());
                System.out.flush();
                agent(run, dir, 8, n -> {
                    System.out.println("finished " + n);
                    System.out.flush();
                });
                run.close();
                System.out.println("done");
                return;
            }
            Jvm.readyThenAwait(Path.of(args[4]));
            RunStart start = RunStart.of(args[2], null, null).staleAfter(Duration.ofMillis(Long.parseLong(args[5])));
            RunScope run = null;
            boolean conflicted = false;
            while (run == null) {
                try {
                    run = db.runs().beginOrResume(start);
                } catch (ConflictException e) {
                    if (!conflicted) {
                        System.out.println("conflict " + e.getMessage());
                        System.out.flush();
                        conflicted = true;
                    }
                    Thread.sleep(100);
                }
            }
            System.out.println(conflicted ? "took-over" : "owner");
            System.out.flush();
            // An owner pauses up to 300 ms a step: alive (a heartbeat per step) when it is killed, well within 2 s.
            agent(run, dir, conflicted ? 0 : 300, n -> { });
            run.close();
            System.out.println("done");
        }
    }

    /** The store as both sides of the tests open it: NORMAL durability, since a killed process loses no commit. */
    static Cairn open(String location) {
        return Cairn.builder().location(location).durability(Durability.NORMAL).open();
    }

    /**
     * The agent: each step appends a line to {@code effects} (its side effect) and makes a recorded call whose body
     * appends a line to {@code calls}, then returns a result naming both; {@code finished} hears of each step done.
     */
    static void agent(RunScope run, Path dir, int maxPauseMillis, IntConsumer finished) {
        for (int i = 1; i <= STEPS; i++) {
            int n = i;
            run.step("step-" + n, String.class, step -> {
                append(dir.resolve("effects"), "step " + n);
                String response = step.call("tool", Map.of("step", n), String.class, () -> {
                    append(dir.resolve("calls"), "call " + n);
                    return "response " + n;
                });
                if (maxPauseMillis > 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextInt(maxPauseMillis)));
                }
                return "result " + n + " " + response;
            });
            finished.accept(n);
        }
    }

    static void append(Path file, String line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
