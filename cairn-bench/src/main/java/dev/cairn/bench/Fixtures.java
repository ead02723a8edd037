package dev.cairn.bench;

import dev.cairn.Cairn;
import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.internal.migration.Migration;
import dev.cairn.internal.migration.MigrationSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Pre-built logs for the read benchmarks: a Cairn store and a raw file holding the same rows, built once and kept
 * in {@code target/bench/data} (a 10-million-event log takes minutes to write, and reading is what is measured).
 */
final class Fixtures {
    private static final String SCHEMA = Integer.toHexString(MigrationSet.forDialect("sqlite").migrations().stream()
            .map(Migration::checksum).toList().hashCode());

    private Fixtures() {}

    /** A log of {@code streams} streams of {@code perStream} events each, written stream by stream. */
    static Path[] log(int streams, int perStream) throws Exception {
        Path data = Workloads.dir().resolve("data");
        // Keyed by the schema too: a fixture built under other migrations is refused by Cairn, rightly.
        String name = "log-" + streams + "x" + perStream + "-" + SCHEMA;
        Path cairn = data.resolve(name + "-cairn.db");
        Path raw = data.resolve(name + "-raw.db");
        Path done = data.resolve(name + ".complete");
        if (Files.exists(done)) {
            return new Path[] {cairn, raw};
        }
        System.err.printf("building fixture %s (%,d events; kept for later runs)%n", name, (long) streams * perStream);
        try (Cairn db = Cairn.open(Workloads.fresh("../data/" + name + "-cairn.db"));
                RawEvents rawEvents = RawEvents.fresh(raw)) {
            fill(db, rawEvents, streams, perStream);
            db.checkpoint();
        }
        Files.writeString(done, "ok\n");
        return new Path[] {cairn, raw};
    }

    /**
     * The same log in the hand-written store's table, built apart (and kept) so that logs built before it existed
     * stay valid: the same streams and events, in the same order.
     */
    static Path handLog(int streams, int perStream) throws Exception {
        Path data = Workloads.dir().resolve("data");
        String name = "log-" + streams + "x" + perStream + "-hand";
        Path file = data.resolve(name + ".db");
        Path done = data.resolve(name + ".complete");
        if (Files.exists(done)) {
            return file;
        }
        System.err.printf("building fixture %s (%,d events; kept for later runs)%n", name, (long) streams * perStream);
        try (HandWrittenEvents hand = new HandWrittenEvents(Workloads.fresh("../data/" + name + ".db"), "NORMAL")) {
            for (int s = 0; s < streams; s++) {
                for (int from = 0; from < perStream; from += 1000) {
                    hand.append("thread:s" + s, from - 1, Math.min(1000, perStream - from), Workloads.TYPE,
                            Workloads.PAYLOAD);
                }
            }
        }
        Files.writeString(done, "ok\n");
        return file;
    }

    /** A writable copy of a kept fixture file (and of its write-ahead log, if one is left), named {@code name}. */
    static Path copy(Path fixture, String name) throws IOException {
        Path copy = Workloads.fresh(name);
        Files.copy(fixture, copy);
        Path wal = fixture.resolveSibling(fixture.getFileName() + "-wal");
        if (Files.exists(wal)) {
            Files.copy(wal, copy.resolveSibling(copy.getFileName() + "-wal"));
        }
        return copy;
    }

    /** The same log, opened for reading: on SQLite the kept files; on PostgreSQL two fresh schemas, built now. */
    record Log(Cairn cairn, RawEvents raw) {}

    static Log open(String backend, int streams, int perStream) throws Exception {
        if (!Workloads.POSTGRES.equals(backend)) {
            Path[] files = log(streams, perStream);
            return new Log(Cairn.builder().path(files[0]).readOnly(true).open(), new RawEvents(files[1]));
        }
        System.err.printf("building PostgreSQL fixture (%,d events; dropped after the trial)%n",
                (long) streams * perStream);
        Log log = new Log(Workloads.openFresh(backend, null), RawEvents.fresh(backend, null, null));
        fill(log.cairn(), log.raw(), streams, perStream);
        return log;
    }

    private static void fill(Cairn db, RawEvents rawEvents, int streams, int perStream) throws Exception {
        for (int s = 0; s < streams; s++) {
            String stream = "thread:s" + s;
            for (int from = 0; from < perStream; from += 1000) {
                int count = Math.min(1000, perStream - from);
                List<EventData> events = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    events.add(EventData.of(Workloads.TYPE, Workloads.PAYLOAD));
                }
                db.events().append(stream, ExpectedVersion.any(), events);
                rawEvents.appendBatch(stream, from, count, Workloads.TYPE, Workloads.PAYLOAD);
            }
        }
    }
}
