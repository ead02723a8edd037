package dev.cairn;

import dev.cairn.internal.Engine;
import dev.cairn.internal.Sql;
import dev.cairn.internal.StoreConfig;
import dev.cairn.internal.migration.MigrationRunner;
import dev.cairn.internal.migration.MigrationSet;
import dev.cairn.internal.postgres.PostgresEngine;
import dev.cairn.internal.sqlite.SqliteEngine;
import dev.cairn.internal.sqlite.SqliteFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What the contract tests of any package need to know of the backend under test, by the store's location. */
public final class Backends {
    private Backends() {}

    public static boolean isSqlite(String location) {
        return !location.startsWith("jdbc:postgresql:");
    }

    /**
     * Builds the store as an older Cairn left it: a new store migrated to schema {@code version} only, for the tests
     * that check what a later migration makes of what that version wrote.
     */
    public static void migrateTo(String location, int version) {
        MigrationSet all = MigrationSet.forDialect(isSqlite(location) ? "sqlite" : "postgresql");
        MigrationSet older = new MigrationSet(all.resourceDirectory(), all.migrations().subList(0, version));
        StoreConfig config = new StoreConfig(Durability.NORMAL, Duration.ofSeconds(5), 1, false, Clock.systemUTC());
        try (Engine engine = isSqlite(location)
                ? new SqliteEngine(SqliteFiles.prepare(Path.of(location), false), config)
                : new PostgresEngine(location, config)) {
            new MigrationRunner(older, engine, "old").migrate();
        }
    }

    /**
     * The {@code event_id} column in sequence order, as the database holds it (16 bytes on SQLite, a uuid on
     * PostgreSQL): null where the store derives the id (migration 0015).
     */
    public static List<UUID> storedEventIds(String location) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = connect(location);
                PreparedStatement query = c.prepareStatement("SELECT event_id FROM events ORDER BY sequence");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                ids.add(Sql.uuid(rows, 1));
            }
        }
        return ids;
    }

    /** A plain JDBC connection to the store's database, beside Cairn, for looking at what the schema holds. */
    public static Connection connect(String location) throws SQLException {
        return DriverManager.getConnection(location.startsWith("jdbc:") ? location : "jdbc:sqlite:" + location);
    }
}
