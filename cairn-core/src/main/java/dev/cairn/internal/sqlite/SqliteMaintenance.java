package dev.cairn.internal.sqlite;

import dev.cairn.BusyException;
import dev.cairn.ConflictException;
import dev.cairn.InvalidInputException;
import dev.cairn.StorageException;
import dev.cairn.internal.Engine;
import dev.cairn.internal.Maintenance;
import dev.cairn.internal.StatementCache;
import dev.cairn.maintenance.BackupOptions;
import dev.cairn.maintenance.BackupResult;
import dev.cairn.maintenance.CheckpointResult;
import dev.cairn.maintenance.IntegrityReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.sqlite.SQLiteConnection;

/**
 * Backups, compaction and checks of a SQLite store, all online: other threads and processes keep writing.
 *
 * <p>Copies are written to a private temporary file beside the destination, synced, checked, and only then renamed
 * into place, so a destination path never holds half a copy. A backup runs SQLite's online backup API from a reader
 * connection that holds one read transaction for the whole copy: in WAL mode that pins one consistent snapshot, so
 * writers are never blocked and the copy never has to restart because someone wrote meanwhile.
 */
public final class SqliteMaintenance implements Maintenance {
    private static final int PAGES_PER_STEP = 256;
    /** How long one checkpoint attempt may hold writers back while it waits for readers; see {@link #checkpoint()}. */
    private static final long CHECKPOINT_WAIT_MILLIS = 20;
    private static final long CHECKPOINT_PAUSE_MILLIS = 20;

    private final SqliteEngine engine;

    public SqliteMaintenance(SqliteEngine engine) {
        this.engine = engine;
    }

    @Override
    public BackupResult backupTo(Path destination, BackupOptions options) {
        long started = System.nanoTime();
        Path target = checkDestination(destination, options.overwrite());
        Path partial = partialFile(target);
        try {
            engine.read(connection -> {
                try (Statement statement = connection.createStatement();
                        ResultSet pin = statement.executeQuery("SELECT count(*) FROM sqlite_master")) {
                    pin.next(); // the read transaction now holds its snapshot until the copy is done
                }
                SQLiteConnection sqlite = connection.unwrap(SQLiteConnection.class);
                long[] total = {0};
                int rc = sqlite.getDatabase().backup("main", partial.toString(), (remaining, pageCount) -> {
                    total[0] = pageCount;
                    options.progress().update(pageCount - remaining, pageCount);
                }, 10, 1000, PAGES_PER_STEP);
                if (rc != 0) {
                    throw new SQLException("backup step failed with SQLite result code " + rc, null, rc);
                }
                options.progress().update(total[0], total[0]);
                return null;
            });
            return finish(partial, target, options.overwrite(), started);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    @Override
    public void vacuum() {
        try (Engine.WriteLease lease = engine.acquireWriter("VACUUM")) {
            StatementCache.clear(lease.connection());
            try (Statement statement = lease.connection().createStatement()) {
                statement.execute("VACUUM");
            }
        } catch (SQLException e) {
            throw engine.translate(e, "vacuuming");
        }
    }

    @Override
    public BackupResult vacuumInto(Path destination, boolean overwrite) {
        long started = System.nanoTime();
        Path target = checkDestination(destination, overwrite);
        Path partial = partialFile(target);
        try {
            // VACUUM INTO reads one snapshot and writes a compacted copy; it cannot run inside a transaction, so it
            // runs on the writer connection between transactions (a reader is query-only and may not write files).
            try (Engine.WriteLease lease = engine.acquireWriter("VACUUM INTO " + target)) {
                StatementCache.clear(lease.connection());
                try (PreparedStatement statement = lease.connection().prepareStatement("VACUUM INTO ?")) {
                    statement.setString(1, partial.toString());
                    statement.execute();
                }
            } catch (SQLException e) {
                throw engine.translate(e, "writing a compacted copy to " + target);
            }
            return finish(partial, target, overwrite, started);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    private Path checkDestination(Path destination, boolean overwrite) {
        Path target = destination.toAbsolutePath().normalize();
        if (target.equals(engine.path())) {
            throw new InvalidInputException("the copy's destination " + target + " is the database itself; "
                    + "choose another path");
        }
        if (Files.isDirectory(target)) {
            throw new InvalidInputException(target + " is a directory; give the path of the copy's file, e.g. "
                    + target.resolve(engine.path().getFileName()));
        }
        if (Files.exists(target) && !overwrite) {
            throw new ConflictException(target + " already exists; choose another path or allow overwriting it "
                    + "(BackupOptions.withOverwrite(true)); nothing was written");
        }
        return target;
    }

    /**
     * A private temporary file beside {@code target}, named after this process, so that a later copy to the same place
     * can tell a copy that is still being written from one a killed process left behind, and remove the latter.
     */
    private static Path partialFile(Path target) {
        String prefix = "." + target.getFileName() + ".partial-";
        removeAbandoned(target, prefix);
        Path partial = target.resolveSibling(prefix + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        try {
            SqliteFiles.createPrivateEmpty(partial);
        } catch (IOException e) {
            throw new StorageException("cannot create " + partial + " for the copy: " + e.getMessage(), e);
        }
        return partial;
    }

    /** Deletes the temporary files of copies to {@code target} whose process is gone (it was killed mid-copy). */
    private static void removeAbandoned(Path target, String prefix) {
        Path dir = target.getParent();
        try (java.util.stream.Stream<Path> siblings = Files.list(dir)) {
            for (Path sibling : siblings.toList()) {
                String name = sibling.getFileName().toString();
                if (!name.startsWith(prefix)) {
                    continue;
                }
                String owner = name.substring(prefix.length()).split("-", 2)[0];
                if (owner.chars().allMatch(Character::isDigit) && !owner.isEmpty()
                        && ProcessHandle.of(Long.parseLong(owner)).isEmpty()) {
                    Files.deleteIfExists(sibling);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary file is harmless and named as such
        }
    }

    private BackupResult finish(Path partial, Path target, boolean overwrite, long started) {
        try {
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            List<String> problems = quickCheck(partial);
            if (!problems.isEmpty()) {
                throw new StorageException("the copy of " + engine.location() + " failed its check (" + problems
                        + "); the source may be damaged: run 'cairn doctor'", null);
            }
            if (overwrite) {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // Without overwrite the destination must still not exist at the moment of the rename.
                Files.createLink(target, partial);
                Files.delete(partial);
            }
            return new BackupResult(target, Files.size(target), Duration.ofNanos(System.nanoTime() - started));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new ConflictException(target + " appeared while the copy was being written; nothing was replaced");
        } catch (IOException e) {
            throw new StorageException("cannot finish the copy at " + target + ": " + e.getMessage(), e);
        }
    }

    private List<String> quickCheck(Path file) {
        try (Connection connection = new org.sqlite.SQLiteConfig().createConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
            List<String> problems = new ArrayList<>();
            while (rows.next()) {
                if (!"ok".equals(rows.getString(1))) {
                    problems.add(rows.getString(1));
                }
            }
            // Leave a self-contained file: the copy must not depend on a -wal beside it.
            statement.execute("PRAGMA journal_mode = DELETE");
            return problems;
        } catch (SQLException e) {
            return List.of(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public IntegrityReport integrityCheck() {
        return engine.read(SqliteInspector::integrity);
    }

    /**
     * A TRUNCATE checkpoint takes the file's write lock and then waits, holding it, for every reader to leave the WAL:
     * while a long reader runs (a backup pins one snapshot for its whole copy) every writer of every process would
     * stop for as long as the busy timeout, twice over. So each attempt may wait for readers only briefly, and between
     * attempts the lock (and this store's writer) is let go so that writers get in; the attempts go on until the
     * readers have left or the busy timeout has passed, and then the result says whether the log was truncated.
     */
    @Override
    public CheckpointResult checkpoint() {
        long deadline = System.nanoTime() + engine.busyTimeout().toNanos();
        while (true) {
            CheckpointResult result;
            try (Engine.WriteLease lease = engine.acquireWriter("a WAL checkpoint")) {
                result = truncateBriefly(lease.connection());
            } catch (SQLException e) {
                if (SqliteDialect.primaryCode(e) != SqliteDialect.SQLITE_BUSY || System.nanoTime() > deadline) {
                    throw engine.translate(e, "checkpointing the WAL");
                }
                result = null;
            }
            if (result != null && (result.complete() || System.nanoTime() > deadline)) {
                return result;
            }
            try {
                Thread.sleep(CHECKPOINT_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BusyException("interrupted while checkpointing the WAL of " + engine.location(), e);
            }
        }
    }

    /** One TRUNCATE checkpoint whose waits (for the write lock, then for readers) last at most a few milliseconds. */
    private CheckpointResult truncateBriefly(Connection connection) throws SQLException {
        BusyWait.install(connection, CHECKPOINT_WAIT_MILLIS);
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            rows.next();
            return new CheckpointResult(rows.getInt(1) == 0, rows.getLong(2), rows.getLong(3));
        } finally {
            BusyWait.install(connection, engine.busyTimeout().toMillis());
        }
    }

    @Override
    public long fileBytes() {
        return size(engine.path());
    }

    @Override
    public long walBytes() {
        return size(engine.path().resolveSibling(engine.path().getFileName() + "-wal"));
    }

    static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        for (String suffix : new String[] {"", "-journal", "-wal", "-shm"}) {
            try {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException ignored) {
                // a leftover temporary file is harmless and named as such
            }
        }
    }

}
