package dev.cairn.internal.migration;

import dev.cairn.MigrationException;
import dev.cairn.SchemaTooNewException;
import dev.cairn.internal.Dialect;
import dev.cairn.internal.Engine;
import dev.cairn.maintenance.MigrationInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the numbered SQL migrations of a dialect, each in one transaction together with its
 * {@code schema_migrations} row and the {@code meta} row.
 *
 * <p>Written here rather than taken from Flyway or Liquibase: Cairn needs less than they do (forward-only, numbered
 * files, checksums) but needs it on every open of every CLI call, where their start-up (classpath scanning, their
 * own history table and locking) would cost more than the whole open; and it needs the database's own write lock
 * ({@code BEGIN IMMEDIATE} on SQLite, an advisory lock on PostgreSQL) so that two processes opening one fresh file at
 * once apply each migration exactly once. The whole runner is this class, {@link MigrationSet} and
 * {@link SqlScript}.
 *
 * <p>An up-to-date database costs one query: the applied rows are read and their checksums compared with the files.
 * Only when something is pending is the write lock taken, and the state is read again under it.
 */
public final class MigrationRunner {
    static final String CREATE_MIGRATIONS = "CREATE TABLE IF NOT EXISTS schema_migrations ("
            + "id INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)";
    static final String CREATE_META = "CREATE TABLE IF NOT EXISTS meta ("
            + "id INTEGER PRIMARY KEY CHECK (id = 1), schema_version INTEGER NOT NULL, app_version TEXT NOT NULL, "
            + "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)";

    private final MigrationSet set;
    private final Engine engine;
    private final String appVersion;

    public MigrationRunner(MigrationSet set, Engine engine, String appVersion) {
        this.set = set;
        this.engine = engine;
        this.appVersion = appVersion;
    }

    private record Applied(int version, String name, String checksum, long appliedAt) {}

    /** Every known migration with its state, and any applied one this code does not know (a newer Cairn's). */
    public List<MigrationInfo> status() {
        Map<Integer, Applied> applied = engine.read(this::readApplied);
        List<MigrationInfo> result = new ArrayList<>();
        for (Migration m : set.migrations()) {
            Applied a = applied.get(m.version());
            result.add(new MigrationInfo(m.version(), m.name(), m.checksum(),
                    Optional.ofNullable(a).map(x -> Instant.ofEpochMilli(x.appliedAt()))));
        }
        for (Applied a : applied.values()) {
            if (a.version() > set.latestVersion()) {
                result.add(new MigrationInfo(a.version(), a.name(), a.checksum(),
                        Optional.of(Instant.ofEpochMilli(a.appliedAt()))));
            }
        }
        return result;
    }

    /** Refuses a database this code must not touch: migrated by a newer Cairn, or with an edited migration. */
    public void verify() {
        check(engine.read(this::readApplied));
    }

    /** Applies what is pending and returns what was applied by this call (empty when up to date). */
    public List<MigrationInfo> migrate() {
        Map<Integer, Applied> applied = engine.read(this::readApplied);
        check(applied);
        if (applied.size() == set.migrations().size()) {
            return List.of();
        }
        List<MigrationInfo> done = new ArrayList<>();
        try (Engine.WriteLease lease = engine.acquireWriter("migrating the schema")) {
            Connection connection = lease.connection();
            for (Migration migration : set.migrations()) {
                if (!applied.containsKey(migration.version())) {
                    Long at = applyLocked(connection, migration);
                    if (at != null) {
                        done.add(new MigrationInfo(migration.version(), migration.name(), migration.checksum(),
                                Optional.of(Instant.ofEpochMilli(at))));
                    }
                }
            }
        }
        return done;
    }

    /** Applies one migration under the migration lock, unless another process applied it meanwhile. */
    private Long applyLocked(Connection connection, Migration migration) {
        Dialect dialect = engine.dialect();
        try {
            dialect.beginMigration(connection);
        } catch (SQLException e) {
            throw dialect.translate(e, engine.location(), "locking the schema to apply " + migration.fileName());
        }
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute(CREATE_MIGRATIONS);
                statement.execute(CREATE_META);
            }
            Map<Integer, Applied> applied = readApplied(connection);
            check(applied);
            if (applied.containsKey(migration.version())) {
                dialect.commit(connection);
                return null;
            }
            runStatements(connection, migration);
            long now = engine.clock().millis();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
                insert.setInt(1, migration.version());
                insert.setString(2, migration.name());
                insert.setString(3, migration.checksum());
                insert.setLong(4, now);
                insert.executeUpdate();
            }
            try (PreparedStatement meta = connection.prepareStatement(
                    "INSERT INTO meta (id, schema_version, app_version, created_at, updated_at) VALUES (1, ?, ?, ?, ?) "
                            + "ON CONFLICT (id) DO UPDATE SET schema_version = excluded.schema_version, "
                            + "app_version = excluded.app_version, updated_at = excluded.updated_at")) {
                meta.setInt(1, migration.version());
                meta.setString(2, appVersion);
                meta.setLong(3, now);
                meta.setLong(4, now);
                meta.executeUpdate();
            }
            dialect.commit(connection);
            return now;
        } catch (SQLException e) {
            rollback(connection, e);
            throw dialect.translate(e, engine.location(), "applying migration " + migration.fileName());
        } catch (RuntimeException e) {
            rollback(connection, e);
            throw e;
        }
    }

    private void runStatements(Connection connection, Migration migration) throws SQLException {
        List<SqlScript.Statement> statements = SqlScript.split(migration.sql());
        for (int i = 0; i < statements.size(); i++) {
            SqlScript.Statement statement = statements.get(i);
            try (Statement jdbc = connection.createStatement()) {
                jdbc.execute(statement.sql());
            } catch (SQLException e) {
                String firstLine = statement.sql().lines().findFirst().orElse("");
                throw new MigrationException("migration " + migration.fileName() + " failed at statement " + (i + 1)
                        + " (line " + statement.line() + ": " + firstLine + "): " + e.getMessage() + ". "
                        + engine.location() + " stays at schema version " + (migration.version() - 1)
                        + "; nothing of this migration was applied", e);
            }
        }
    }

    private void rollback(Connection connection, Throwable failure) {
        try {
            engine.dialect().rollback(connection);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void check(Map<Integer, Applied> applied) {
        int latest = set.latestVersion();
        int newest = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (newest > latest) {
            throw new SchemaTooNewException(engine.location(), newest, latest);
        }
        for (Migration migration : set.migrations()) {
            Applied a = applied.get(migration.version());
            if (a != null && !a.checksum().equals(migration.checksum())) {
                throw new MigrationException("migration " + migration.fileName() + " was changed after it was "
                        + "applied to " + engine.location() + " (applied checksum " + a.checksum().substring(0, 12)
                        + "..., shipped file " + migration.checksum().substring(0, 12) + "...). Applied migrations "
                        + "must never change: restore the original file and put the change in a new migration");
            }
        }
        for (int version = 1; version <= newest; version++) {
            if (!applied.containsKey(version)) {
                throw new MigrationException(engine.location() + " has migrations up to " + newest
                        + " but not migration " + version + ": its schema_migrations table was edited by hand. "
                        + "Restore the database from a backup");
            }
        }
    }

    private Map<Integer, Applied> readApplied(Connection connection) throws SQLException {
        Map<Integer, Applied> applied = new LinkedHashMap<>();
        if (!engine.dialect().tableExists(connection, "schema_migrations")) {
            return applied;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT id, name, checksum, applied_at FROM schema_migrations ORDER BY id")) {
            while (rows.next()) {
                Applied a = new Applied(rows.getInt(1), rows.getString(2), rows.getString(3), rows.getLong(4));
                applied.put(a.version(), a);
            }
        }
        return applied;
    }

}
