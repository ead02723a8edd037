package dev.cairn.internal.migration;

import dev.cairn.internal.Dialect;
import dev.cairn.maintenance.DoctorReport.Check;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The doctor's schema check, the same on every dialect: {@code meta.schema_version} against the migrations recorded
 * as applied and against the newest migration this code ships, and every applied checksum against its file.
 */
public final class SchemaCheck {
    private SchemaCheck() {}

    public static Check check(Connection connection, MigrationSet migrations, Dialect dialect) {
        int code = migrations.latestVersion();
        try {
            String[] meta = meta(connection, dialect);
            if (meta == null) {
                return new Check("schema", false, "never migrated (no meta row); run 'cairn migrate' to bring it "
                        + "to schema version " + code);
            }
            int version = Integer.parseInt(meta[0]);
            Map<Integer, String> applied = new HashMap<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT id, checksum FROM schema_migrations")) {
                while (rows.next()) {
                    applied.put(rows.getInt(1), rows.getString(2));
                }
            }
            int newestApplied = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (version != newestApplied) {
                return new Check("schema", false, "meta.schema_version is " + version + " but migrations up to "
                        + newestApplied + " are recorded: the bookkeeping was edited; restore from a backup");
            }
            if (version > code) {
                return new Check("schema", false, "schema version " + version + " is newer than this Cairn ("
                        + code + "): upgrade Cairn");
            }
            for (Migration migration : migrations.migrations()) {
                String checksum = applied.get(migration.version());
                if (checksum != null && !checksum.equals(migration.checksum())) {
                    return new Check("schema", false, "migration " + migration.fileName() + " differs from the one "
                            + "applied (checksum mismatch): restore the original migration file");
                }
            }
            if (version < code) {
                return new Check("schema", false, "schema version " + version + ", this Cairn ships " + code
                        + ": run 'cairn migrate' to apply " + (code - version) + " pending migration(s)");
            }
            return new Check("schema", true, "schema version " + version + " (app " + meta[1] + ") is current");
        } catch (SQLException | RuntimeException e) {
            return new Check("schema", false, "cannot read the schema bookkeeping: " + e.getMessage());
        }
    }

    /** schema_version and app_version from meta, or null when the database was never migrated. */
    static String[] meta(Connection connection, Dialect dialect) throws SQLException {
        if (!dialect.tableExists(connection, "meta")) {
            return null;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT schema_version, app_version FROM meta WHERE id = 1")) {
            return rows.next() ? new String[] {rows.getString(1), rows.getString(2)} : null;
        }
    }
}
