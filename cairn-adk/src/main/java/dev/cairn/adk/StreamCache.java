package dev.cairn.adk;

import dev.cairn.events.EventLog;
import dev.cairn.events.RecordedEvent;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The folds of the streams a service has read, each with the version and event id of the last record it holds. A
 * fold catches up by reading its stream from that version: one short query when nothing changed, wherever the change
 * came from. The event id at that version tells a stream that was deleted and written again from the one cached, which
 * is then folded from its start.
 */
final class StreamCache<F extends StreamCache.Folded> {
    private static final int MAX_CACHED = 4_096;

    /** A fold of a stream up to a version. */
    interface Folded {
        long version();

        UUID lastEventId();
    }

    /** Folds records that follow {@code from} (null: the stream's start); null for a stream without records. */
    interface Folder<F> {
        F fold(F from, Iterator<RecordedEvent> records);
    }

    private final Map<String, F> cache = new ConcurrentHashMap<>();
    private final Folder<F> folder;

    StreamCache(Folder<F> folder) {
        this.folder = folder;
    }

    /** The stream's fold as {@code log} sees it now; null when the stream has no records. */
    F current(EventLog log, String stream) {
        F cached = cache.get(stream);
        if (cached != null) {
            try (Stream<RecordedEvent> since = log.readStream(stream, cached.version())) {
                Iterator<RecordedEvent> records = since.iterator();
                if (records.hasNext() && records.next().eventId().equals(cached.lastEventId())) {
                    if (!records.hasNext()) {
                        return cached;
                    }
                    F next = folder.fold(cached, records);
                    remember(stream, next);
                    return next;
                }
            }
        }
        try (Stream<RecordedEvent> all = log.readStream(stream, 0)) {
            F fold = folder.fold(null, all.iterator());
            if (fold == null) {
                cache.remove(stream);
            } else {
                remember(stream, fold);
            }
            return fold;
        }
    }

    /** Takes the records this process just appended after {@code expected} into the cached fold, if it is there. */
    void appended(String stream, long expected, Iterable<RecordedEvent> records) {
        F cached = cache.get(stream);
        if (cached != null && cached.version() == expected) {
            remember(stream, folder.fold(cached, records.iterator()));
        }
    }

    void forget(String stream) {
        cache.remove(stream);
    }

    private void remember(String stream, F fold) {
        if (cache.size() >= MAX_CACHED && !cache.containsKey(stream)) {
            cache.clear(); // a crude bound: the cache only saves reads, and refills from the log
        }
        cache.put(stream, fold);
    }
}
