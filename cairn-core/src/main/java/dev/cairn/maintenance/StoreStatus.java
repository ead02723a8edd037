package dev.cairn.maintenance;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a store for operators: where it is, which schema it has against what this code knows, its sizes,
 * and how many rows each table holds.
 *
 * @param schemaVersion the version recorded in {@code meta.schema_version} (0 for a database never migrated)
 * @param codeSchemaVersion the newest migration this code ships
 * @param appVersion the Cairn version that last migrated the database
 * @param fileBytes size of the database file; for a server database, of the schema's relations
 * @param walBytes size of the write-ahead log file (0 when there is none)
 */
public record StoreStatus(
        String location,
        String dialect,
        int schemaVersion,
        int codeSchemaVersion,
        String appVersion,
        List<MigrationInfo> migrations,
        long fileBytes,
        long walBytes,
        Map<String, Long> rowCounts) {
    public StoreStatus {
        migrations = List.copyOf(migrations);
        rowCounts = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(rowCounts));
    }

    public List<MigrationInfo> pending() {
        return migrations.stream().filter(m -> !m.applied()).toList();
    }
}
