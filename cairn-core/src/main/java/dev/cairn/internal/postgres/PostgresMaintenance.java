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
