package dev.cairn.internal.sqlite;

import dev.cairn.internal.migration.SchemaCheck;
import dev.cairn.internal.migration.MigrationSet;
import dev.cairn.maintenance.DoctorReport;
import dev.cairn.maintenance.DoctorReport.Check;
import dev.cairn.maintenance.IntegrityReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * Examines a database file without changing it and without trusting it: a missing file, a file that is not a
 * database, a damaged one, or one of another schema version each become a finding, never a crash. Nothing is
 * migrated or repaired here.
 */
public final class SqliteDoctor {
    private SqliteDoctor() {}

    public static DoctorReport examine(Path file, MigrationSet migrations) {
        Path path = file.toAbsolutePath().normalize();
        String location = path.toString();
        List<Check> checks = new ArrayList<>();
        if (!Files.exists(path)) {
            checks.add(new Check("file", false, "not initialized yet: no database at " + location
                    + "; run 'cairn migrate' to create it"));
            return new DoctorReport(location, checks);
        }
        if (Files.isDirectory(path) || !SqliteFiles.looksLikeSqlite(path)) {
            checks.add(new Check("file", false, location + " is not a SQLite database: open a Cairn database "
                    + "instead, or move the file away"));
            return new DoctorReport(location, checks);
        }
        checks.add(new Check("file", true, location + " (" + SqliteMaintenance.size(path) + " bytes)"));
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = config.createConnection("jdbc:sqlite:" + path)) {
            checks.add(SchemaCheck.check(connection, migrations, SqliteDialect.INSTANCE));
            checks.add(integrity(connection));
            String mode = SqliteInspector.journalMode(connection);
            checks.add(new Check("wal", "wal".equalsIgnoreCase(mode), "wal".equalsIgnoreCase(mode)
                    ? "journal_mode is wal"
                    : "journal_mode is " + mode + ": opening the store with Cairn switches it to wal"));
        } catch (SQLException e) {
            checks.add(new Check("open", false, "cannot read " + location + ": " + e.getMessage()
                    + "; restore it from a backup"));
        }
        checks.add(permissions(path));
        return new DoctorReport(location, checks);
    }

    private static Check integrity(Connection connection) {
        try {
            IntegrityReport report = SqliteInspector.integrity(connection);
            return report.ok()
                    ? new Check("integrity", true, "integrity and foreign-key checks passed")
                    : new Check("integrity", false, String.join("; ", report.problems().subList(0,
                            Math.min(5, report.problems().size())))
                            + (report.problems().size() > 5 ? "; and " + (report.problems().size() - 5) + " more" : "")
                            + ". Restore from a backup, or export what is readable");
        } catch (SQLException e) {
            return new Check("integrity", false, "the integrity check could not run: " + e.getMessage()
                    + ". The file is damaged: restore it from a backup");
        }
    }

    private static Check permissions(Path path) {
        if (!SqliteFiles.isPosix()) {
            return new Check("permissions", true, "not a POSIX filesystem; permissions not checked");
        }
        List<String> open = new ArrayList<>();
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path file = path.resolveSibling(path.getFileName() + suffix);
            try {
                if (Files.exists(file)) {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                    perms.removeAll(SqliteFiles.PRIVATE_FILE);
                    perms.remove(PosixFilePermission.OWNER_EXECUTE);
                    if (!perms.isEmpty()) {
                        open.add(file.getFileName() + " " + java.nio.file.attribute.PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(file)));
                    }
                }
            } catch (IOException e) {
                open.add(file.getFileName() + " (unreadable permissions: " + e.getMessage() + ")");
            }
        }
        return open.isEmpty()
                ? new Check("permissions", true, "database files are private to their owner")
                : new Check("permissions", false, "readable or writable by others: " + String.join(", ", open)
                        + "; run chmod 600 on them");
    }
}
