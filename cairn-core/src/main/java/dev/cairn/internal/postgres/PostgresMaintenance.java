package dev.cairn.internal.postgres;

import dev.cairn.NotSupportedException;
import dev.cairn.internal.Engine;
import dev.cairn.internal.Maintenance;
import dev.cairn.maintenance.BackupOptions;
import dev.cairn.maintenance.BackupResult;
import dev.cairn.maintenance.CheckpointResult;
import dev.cairn.maintenance.IntegrityReport;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Upkeep of a store on PostgreSQL. The server backs up, vacuums, checkpoints and checks itself with its own tools;
 * Cairn says which instead of pretending to do it.
 */
public final class PostgresMaintenance implements Maintenance {
    private final Engine engine;

    public PostgresMaintenance(Engine engine) {
        this.engine = engine;
    }

    @Override
    public BackupResult backupTo(Path destination, BackupOptions options) {
        throw new NotSupportedException("Cairn does not back up a PostgreSQL store (" + engine.location()
                + "): use pg_dump (e.g. pg_dump -n <schema> -Fc) or the server's continuous archiving");
    }

    @Override
    public void vacuum() {
        throw new NotSupportedException("PostgreSQL vacuums " + engine.location() + " itself (autovacuum); run "
                + "VACUUM (ANALYZE) from psql if you must");
    }

    @Override
    public BackupResult vacuumInto(Path destination, boolean overwrite) {
        throw new NotSupportedException("a compacted copy of a PostgreSQL store is made with pg_dump and "
                + "pg_restore, not by Cairn");
    }

    @Override
    public IntegrityReport integrityCheck() {
        throw new NotSupportedException("PostgreSQL enforces constraints on every write; to verify indexes and "
                + "tables of " + engine.location() + " use pg_amcheck");
    }

    @Override
    public CheckpointResult checkpoint() {
        throw new NotSupportedException("PostgreSQL checkpoints its WAL itself; there is nothing for Cairn to do");
    }

    @Override
    public Map<String, Long> rowCounts() {
        return engine.read(connection -> {
            List<String> tables = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables "
                            + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            Map<String, Long> counts = new TreeMap<>();
            try (Statement statement = connection.createStatement()) {
                for (String table : tables) {
                    // A table name is an identifier, not a value: it cannot be bound, so it is quoted.
                    try (ResultSet rows = statement.executeQuery(
                            "SELECT count(*) FROM \"" + table.replace("\"", "\"\"") + "\"")) {
                        rows.next();
                        counts.put(table, rows.getLong(1));
                    }
                }
            }
            return counts;
        });
    }

    @Override
    public long fileBytes() {
        return engine.read(connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) "
                            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                            + "WHERE n.nspname = current_schema() AND c.relkind = 'r'")) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Override
    public long walBytes() {
        return 0;
    }
}
