package dev.cairn.maintenance;

import java.time.Duration;
import java.util.Map;

/**
 * What {@link dev.cairn.Cairn#copy} did: from where to where, the rows of each table in copy order (parents before
 * children), and how long it took.
 */
public record CopyResult(String source, String destination, int schemaVersion, Map<String, Long> rowsPerTable,
        Duration took) {
    public CopyResult {
        rowsPerTable = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rowsPerTable));
    }

    public int tables() {
        return rowsPerTable.size();
    }

    public long rows() {
        return rowsPerTable.values().stream().mapToLong(Long::longValue).sum();
    }
}
