package dev.cairn.projections;

import java.util.List;

/**
 * One page of a listing; pass {@code next} as the cursor to get the following page. {@code next} is null on the last
 * page.
 */
public record Page<T>(List<T> items, Long next) {
    public Page {
        items = List.copyOf(items);
    }

    public boolean hasMore() {
        return next != null;
    }
}
