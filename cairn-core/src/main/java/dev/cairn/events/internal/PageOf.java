package dev.cairn.events.internal;

import dev.cairn.projections.Page;
import java.util.List;

/** Cuts a query that fetched {@code limit + 1} keyed rows into a page and the cursor of the next one. */
final class PageOf {
    /** A row and its paging key. */
    record Keyed<T>(long key, T value) {}

    private PageOf() {}

    static <T> Page<T> rows(List<Keyed<T>> rows, int limit) {
        List<T> items = rows.stream().limit(limit).map(Keyed::value).toList();
        return new Page<>(items, rows.size() > limit ? rows.get(limit - 1).key() : null);
    }
}
