package dev.cairn.internal.sqlite;

import dev.cairn.InvalidInputException;
import dev.cairn.NotADatabaseException;
import dev.cairn.NotFoundException;
import dev.cairn.ReadOnlyException;
import dev.cairn.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * The database file on disk: checked before SQLite touches it, and created private to the user.
 *
 * <p>The file is created here, mode 0600, before SQLite first opens it: SQLite gives the {@code -wal} and
 * {@code -shm} files the permissions of the database file, so they are private too. Directories Cairn creates are
 * mode 0700.
 */
public final class SqliteFiles {
    private static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    /** Immutable: {@code fromString} returns a mutable set that any holder of the constant could change. */
    static final Set<PosixFilePermission> PRIVATE_FILE = Set.copyOf(PosixFilePermissions.fromString("rw-------"));
    static final Set<PosixFilePermission> PRIVATE_DIR = Set.copyOf(PosixFilePermissions.fromString("rwx------"));

    private SqliteFiles() {}

    /** Checks (and for writing, creates) the file so that opening it can neither damage nor misread it. */
    public static Path prepare(Path file, boolean readOnly) {
        Path path = file.toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            throw new InvalidInputException(path + " is a directory: give the path of a database file, e.g. "
                    + path.resolve("cairn.db"));
        }
        if (Files.exists(path)) {
            requireSqliteHeader(path);
            if (!readOnly) {
                requireWritable(path);
                requireWritable(path.getParent());
            }
            return path;
        }
        if (readOnly) {
            throw new NotFoundException("no database at " + path + " (not initialized yet): run 'cairn migrate' "
                    + "or open it for writing to create it");
        }
        createPrivate(path);
        return path;
    }

    /** Whether the file starts like a SQLite database; an empty file counts as a new database. */
    public static boolean looksLikeSqlite(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(HEADER.length);
            return head.length == 0 || Arrays.equals(head, HEADER);
        } catch (IOException e) {
            throw new StorageException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static void requireSqliteHeader(Path path) {
        if (!looksLikeSqlite(path)) {
            throw new NotADatabaseException(path + " is not a SQLite database (its header is not 'SQLite format 3'); "
                    + "it was left untouched. Point Cairn at a Cairn database, or move this file away");
        }
    }

    private static void requireWritable(Path path) {
        boolean ownerMayWrite = true;
        if (isPosix()) {
            try {
                ownerMayWrite = Files.getPosixFilePermissions(path).contains(PosixFilePermission.OWNER_WRITE);
            } catch (IOException e) {
                throw new StorageException("cannot read the permissions of " + path + ": " + e.getMessage(), e);
            }
        }
        // The owner-write bit is checked as well as access(2): root may write anything, but a file someone marked
        // read-only is meant to stay unchanged.
        if (!ownerMayWrite || !Files.isWritable(path)) {
            String what = Files.isDirectory(path) ? "directory" : "file";
            throw new ReadOnlyException("cannot write " + path + ": the " + what + " is read-only (SQLite also "
                    + "needs to create the -wal and -shm files beside the database). Make it writable (chmod u+w), "
                    + "or open the store read-only");
        }
    }

    private static void createPrivate(Path path) {
        try {
            Path dir = path.getParent();
            if (!Files.isDirectory(dir)) {
                if (isPosix()) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
                } else {
                    Files.createDirectories(dir);
                }
            }
            requireWritable(dir);
            try {
                FileAttribute<?>[] attributes = isPosix()
                        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PRIVATE_FILE)}
                        : new FileAttribute<?>[0];
                Files.createFile(path, attributes);
                if (isPosix()) {
                    // The creation mode passes through the umask; make sure it ends up exactly 0600.
                    Files.setPosixFilePermissions(path, PRIVATE_FILE);
                }
            } catch (FileAlreadyExistsException raced) {
                // Another process created it between our check and now: it is opening the same new store.
            }
        } catch (IOException e) {
            throw new StorageException("cannot create " + path + ": " + e.getMessage()
                    + ". Check that the directory can be created and written", e);
        }
    }

    /** Creates an empty private file for a copy (backup, VACUUM INTO); refuses to replace one that exists. */
    public static void createPrivateEmpty(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            if (isPosix()) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            } else {
                Files.createDirectories(dir);
            }
        }
        if (isPosix()) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
            Files.setPosixFilePermissions(path, PRIVATE_FILE);
        } else {
            Files.createFile(path);
        }
    }

    public static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
