package dev.cairn;

import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.RecordedEvent;
import dev.cairn.events.StreamAppend;
import dev.cairn.goals.Task;
import dev.cairn.goals.TaskClaim;
import dev.cairn.maintenance.BackupOptions;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The child side of {@link CrashTest}: works on a store until it is killed, and reports on stdout each write the
 * store acknowledged, only after the call that made it returned (that is the claim under test: an acknowledged write
 * survives a crash). Every report line is flushed at once, so whatever the parent has read was acknowledged.
 *
 * <ul>
 *   <li>{@code append DB STREAM}: appends single events at exact versions; {@code ack SEQUENCE EVENT-ID VERSION}
 *   <li>{@code batch DB SIZE TAG}: appends batches of SIZE events over three streams; {@code ack TAG-N}
 *   <li>{@code open DB}: {@code opening}, then opens (and so creates and migrates) a fresh store; {@code opened}
 *   <li>{@code rebuild DB}: {@code rebuilding}, then a projection per progress report: {@code ack POSITION}
 *   <li>{@code backup DB DEST}: backs up to DEST over and over; {@code ack N} after each
 *   <li>{@code claim DB GOAL OWNER}: claims tasks until none is left; {@code ack TASK}
 * </ul>
 */
public final class CrashMain {
    /** How long a child works at most when nobody kills it, so a broken parent leaves no process behind for long. */
    private static final long MAX_NANOS = Duration.ofSeconds(60).toNanos();

    /** The acknowledgement file the parent reads after the kill ({@code -Dcairn.crash.acks}). */
    private static final FileOutputStream ACKS = openAcks();

    private CrashMain() {}

    private static FileOutputStream openAcks() {
        try {
            return new FileOutputStream(System.getProperty("cairn.crash.acks", "/dev/null"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        String db = args[1];
        long started = System.nanoTime();
        if (args[0].equals("open")) {
            report("opening");
            try (Cairn ignored = Cairn.builder().location(db).busyTimeout(Duration.ofSeconds(60)).open()) {
                report("opened");
            }
            return;
        }
        try (Cairn cairn = Cairn.builder().location(db).busyTimeout(Duration.ofSeconds(60)).open()) {
            switch (args[0]) {
                case "append" -> {
                    String stream = args[2];
                    for (long v = cairn.events().streamVersion(stream) + 1; alive(started); v++) {
                        RecordedEvent e = cairn.events().append(stream,
                                v == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exact(v - 1),
                                EventData.of("crash.appended", "{\"v\":" + v + "}")).get(0);
                        ack(e.sequence() + " " + e.eventId() + " " + e.streamVersion());
                    }
                }
                case "batch" -> {
                    int size = Integer.parseInt(args[2]);
                    for (int n = 0; alive(started); n++) {
                        String batch = args[3] + "-" + n;
                        List<StreamAppend> appends = new ArrayList<>();
                        for (int s = 0; s < 3; s++) {
                            List<EventData> events = new ArrayList<>();
                            for (int i = s; i < size; i += 3) {
                                events.add(EventData.of("crash.batched", "{\"batch\":\"" + batch + "\"}"));
                            }
                            appends.add(new StreamAppend("batch:" + s, ExpectedVersion.any(), events));
                        }
                        cairn.events().appendAll(appends);
                        ack(batch);
                    }
                }
                case "rebuild" -> {
                    report("rebuilding");
                    cairn.projections().rebuild((position, head) -> ack(position));
                    report("rebuilt");
                    Thread.sleep(MAX_NANOS / 1_000_000);
                }
                case "backup" -> {
                    Path destination = Path.of(args[2]);
                    for (int n = 0; alive(started); n++) {
                        cairn.backupTo(destination, BackupOptions.defaults().withOverwrite(true));
                        ack(n);
                    }
                }
                case "claim" -> {
                    Optional<Task> task;
                    while (alive(started) && (task = claim(cairn, args[2], args[3])).isPresent()) {
                        ack(task.get().id());
                    }
                    report("none left");
                    Thread.sleep(MAX_NANOS / 1_000_000);
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }

    /** The one claim call, kept apart so that a change of the claim API touches one line. */
    static Optional<Task> claim(Cairn cairn, String goal, String owner) {
        return cairn.goals().tasks().claimTask(goal, owner, Duration.ofMinutes(5)).map(TaskClaim::task);
    }

    private static boolean alive(long started) {
        return System.nanoTime() - started < MAX_NANOS;
    }

    /**
     * Acknowledges a write that returned, in the acknowledgement file (one {@code write} per line, which a kill cannot
     * split and which the kernel keeps once made) and on standard output, where the parent counts progress. The pipe
     * is no record: lines still in it when the child dies can be lost on the parent's side. Each line ends in
     * {@link CrashContract#ACK_END}, so a line cut short anyway is never taken for a whole one.
     */
    private static void ack(Object what) {
        String line = "ack " + what + CrashContract.ACK_END;
        try {
            ACKS.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        report(line);
    }

    private static void report(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
