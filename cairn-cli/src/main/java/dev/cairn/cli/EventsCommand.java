package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.events.EventQuery;
import dev.cairn.events.LogPosition;
import dev.cairn.events.RecordedEvent;
import dev.cairn.events.Subscription;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cairn events}. */
@Command(name = "events", description = {
    "Print events of the log in its order (JSON lines with --json), each with its position first.",
    "With --follow, keep printing new events, appended by any process, until interrupted."})
final class EventsCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Option(names = "--from", paramLabel = "POSITION", description = {"Print events after this position: an event's "
            + "position as printed (SEQUENCE, or TRANSACTION:SEQUENCE on PostgreSQL). Default: all."})
    String from;

    @Option(names = "--stream", paramLabel = "ID", description = "Only this stream, for example thread:t1.")
    String stream;

    @Option(names = "--type", paramLabel = "T", description = "Only events of this type (repeatable).")
    List<String> types = List.of();

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N events (default: no limit).")
    long limit;

    @Option(names = "--follow", description = "Keep printing new events until interrupted (Ctrl-C).")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        if (!root.databaseExists()) {
            return NotInitialized.report(root);
        }
        if (limit < 0) {
            throw new InvalidInputException("--limit is 0 or more");
        }
        LogPosition after = from == null ? LogPosition.START : LogPosition.parse(from);
        EventQuery query = new EventQuery(after, stream, Set.copyOf(types), limit);
        try (Cairn db = OpenStore.forReading(root)) {
            AtomicLong printed = new AtomicLong();
            AtomicReference<LogPosition> position = new AtomicReference<>(after);
            db.events().read(query).forEach(event -> {
                print(event);
                printed.incrementAndGet();
                position.set(event.position());
            });
            if (!follow || (limit > 0 && printed.get() >= limit)) {
                return ExitCodes.OK;
            }
            return followFrom(db, query, position.get(), printed);
        }
    }

    private int followFrom(Cairn db, EventQuery query, LogPosition after, AtomicLong printed)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        try (Subscription subscription = db.events().subscribe(after, event -> {
            if (matches(query, event)) {
                print(event);
                if (limit > 0 && printed.incrementAndGet() >= limit) {
                    done.countDown();
                }
            }
        })) {
            // Wake up now and then to notice a subscription that stopped (the store went away, the disk failed).
            while (!done.await(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (!subscription.isRunning()) {
                    subscription.failure().ifPresent(e -> failure.set(e instanceof RuntimeException r ? r
                            : new IllegalStateException(e)));
                    break;
                }
            }
        } catch (InterruptedException e) {
            // Interrupted: the user is done following.
            return ExitCodes.OK;
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return ExitCodes.OK;
    }

    private static boolean matches(EventQuery query, RecordedEvent event) {
        return (query.streamId() == null || query.streamId().equals(event.streamId()))
                && (query.types().isEmpty() || query.types().contains(event.type()));
    }

    private void print(RecordedEvent event) {
        var out = root.out();
        if (root.json) {
            root.printJson(json(event));
            return;
        }
        // A line per event as it arrives (--follow cannot know later widths): the position padded to 8 characters.
        out.println(String.format(java.util.Locale.ROOT, "%8s", event.position()) + "  " + event.occurredAt() + "  "
                + event.streamId() + "@" + event.streamVersion() + "  " + event.type() + "  "
                + Table.shorten(event.payload(), 100));
        out.flush();
    }

    /** The JSON form of an event: what {@code cairn events --json} prints, one per line. */
    static Map<String, Object> json(RecordedEvent event) {
        Map<String, Object> map = JsonOutput.object();
        map.put("position", event.position().toString());
        map.put("sequence", event.sequence());
        map.put("eventId", event.eventId().toString());
        map.put("streamId", event.streamId());
        map.put("streamVersion", event.streamVersion());
        map.put("type", event.type());
        map.put("schemaVersion", event.schemaVersion());
        map.put("payload", JsonOutput.embed(event.payload()));
        Map<String, Object> metadata = JsonOutput.object();
        if (event.metadata().actorKind() != null) {
            metadata.put("actorKind", event.metadata().actorKind().storedName());
        }
        putIfPresent(metadata, "commandId", event.metadata().commandId());
        putIfPresent(metadata, "causationId", event.metadata().causationId());
        putIfPresent(metadata, "correlationId", event.metadata().correlationId());
        metadata.putAll(event.metadata().extra());
        map.put("metadata", metadata);
        map.put("occurredAt", event.occurredAt());
        map.put("recordedAt", event.recordedAt());
        return map;
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

}
