package dev.cairn.events.internal;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy stream over keyset pages: each page is fetched when the previous one is used up, so memory stays flat.
 *
 * <p>A page asks for one row more than the page size: a page that gets at most the page size is the last one, so a
 * read that ends on a page boundary (a catch-up of exactly one page is the common case) costs no further query that
 * would only come back empty. Every row read is delivered, the extra one too; the next page starts after it.
 */
final class Pages {
    /** Reads the page of rows whose key is after {@code after}. */
    @FunctionalInterface
    interface Reader<K, T> {
        List<T> read(K after, int pageSize);
    }

    private Pages() {}

    static <K, T> Stream<T> stream(K start, int pageSize, Reader<K, T> reader, Function<T, K> key) {
        Iterator<T> iterator = new Iterator<>() {
            private K after = start;
            private List<T> page = List.of();
            private int index;
            private boolean last;

            @Override
            public boolean hasNext() {
                if (index < page.size()) {
                    return true;
                }
                if (last) {
                    return false;
                }
                page = reader.read(after, pageSize + 1);
                index = 0;
                last = page.size() <= pageSize;
                if (!page.isEmpty()) {
                    after = key.apply(page.get(page.size() - 1));
                }
                return !page.isEmpty();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.get(index++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }
}
