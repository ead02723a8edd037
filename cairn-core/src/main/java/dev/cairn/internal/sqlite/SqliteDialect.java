package dev.cairn.internal.sqlite;

import dev.cairn.BusyException;
import dev.cairn.CairnException;
import dev.cairn.ConflictException;
import dev.cairn.NotADatabaseException;
import dev.cairn.ReadOnlyException;
import dev.cairn.StorageException;
import dev.cairn.StorageFullException;
import dev.cairn.internal.Dialect;
import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** SQLite: write transactions begin {@code IMMEDIATE}, so the write lock is taken up front or not at all. */
public final class SqliteDialect implements Dialect {
    public static final SqliteDialect INSTANCE = new SqliteDialect();

    // Primary result codes, https://sqlite.org/rescode.html
    static final int SQLITE_PERM = 3;
    static final int SQLITE_BUSY = 5;
    static final int SQLITE_LOCKED = 6;
    static final int SQLITE_READONLY = 8;
    static final int SQLITE_IOERR = 10;
    static final int SQLITE_CORRUPT = 11;
    static final int SQLITE_FULL = 13;
    static final int SQLITE_CANTOPEN = 14;
    static final int SQLITE_CONSTRAINT = 19;
    static final int SQLITE_NOTADB = 26;
    // Extended codes of SQLITE_CONSTRAINT that mean "unique".
    private static final int SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
    private static final int SQLITE_CONSTRAINT_UNIQUE = 2067;

    private SqliteDialect() {}

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public boolean singleWriter() {
        return true;
    }

    @Override
    public boolean oneHost() {
        return true;
    }

    @Override
    public String commitHorizon() {
        return null; // one writer at a time: commits come in sequence order
    }

    @Override
    public void lockShared(Connection connection, String name) {
        // the write transaction already excludes every other writer
    }

    @Override
    public void lockExclusive(Connection connection, String name) {
        // the write transaction already excludes every other writer
    }

    @Override
    public boolean isDeadlock(SQLException e) {
        return false; // one writer holds the only write lock: no cycle of waits can form
    }

    @Override
    public String forUpdate() {
        return "";
    }

    @Override
    public void beginWrite(Connection connection) throws SQLException {
        exec(connection, "BEGIN IMMEDIATE");
    }

    @Override
    public void beginWrite(Connection connection, long deadline) throws SQLException {
        BusyWait.until(deadline, connection, "BEGIN IMMEDIATE");
    }

    @Override
    public void beginMigration(Connection connection) throws SQLException {
        // IMMEDIATE takes the database's single write lock: no other process can migrate (or write) meanwhile.
        exec(connection, "BEGIN IMMEDIATE");
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        exec(connection, "COMMIT");
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        try {
            exec(connection, "ROLLBACK");
        } catch (SQLException e) {
            // SQLite may already have rolled the transaction back by itself (after SQLITE_FULL, an I/O error, or an
            // interrupt); there is nothing left to undo then.
            String message = String.valueOf(e.getMessage());
            if (!message.contains("no transaction is active")) {
                throw e;
            }
        }
    }

    static void exec(Connection connection, String sql) throws SQLException {
        // Prepared rather than a plain Statement: BEGIN and COMMIT then come from the connection's statement cache.
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }

    @Override
    public Set<String> tables(Connection connection) throws SQLException {
        return Sql.names(connection,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
    }

    @Override
    public String greatest(String a, String b) {
        return "max(" + a + ", " + b + ")";
    }

    @Override
    public Map<String, Long> idPositions(Connection connection) {
        return Map.of(); // integer primary keys continue from the largest id present
    }

    @Override
    public void advanceIdGenerators(Connection connection, Map<String, Long> floor) {
        // integer primary keys continue from the largest id present
    }

    @Override
    public Object uuid(UUID id) {
        return Sql.bytes(id);
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        int code = extendedCode(e);
        return code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE;
    }

    static int primaryCode(SQLException e) {
        return extendedCode(e) & 0xff;
    }

    static int extendedCode(SQLException e) {
        if (e instanceof org.sqlite.SQLiteException sqlite) {
            return sqlite.getResultCode().code;
        }
        return e.getErrorCode();
    }

    @Override
    public CairnException translate(SQLException e, String location, String doing) {
        String cause = e.getMessage();
        return switch (primaryCode(e)) {
            case SQLITE_BUSY, SQLITE_LOCKED -> new BusyException(location + " stayed locked by another writer while "
                    + doing + " (past the busy timeout); nothing was written. Retry, or find the process holding "
                    + "the database (fuser " + location + ")", e);
            case SQLITE_FULL -> new StorageFullException("the disk holding " + location + " is full while " + doing
                    + "; the transaction was rolled back. Free space and retry", e);
            case SQLITE_READONLY, SQLITE_PERM -> new ReadOnlyException("cannot write " + location + " while " + doing
                    + ": the file or its directory is read-only (" + cause + "). Check permissions and mounts", e);
            case SQLITE_NOTADB -> new NotADatabaseException(location + " is not a SQLite database (" + cause
                    + "); point Cairn at a Cairn database file or move this file away", e);
            case SQLITE_CORRUPT -> new StorageException(location + " is damaged (" + cause + ") while " + doing
                    + ": run 'cairn doctor' and restore from a backup", e);
            case SQLITE_CONSTRAINT -> new ConflictException("a constraint of " + location + " refused " + doing
                    + ": " + cause, e);
            case SQLITE_CANTOPEN -> new StorageException("cannot open " + location + " while " + doing + " ("
                    + cause + "): check that the directory exists and is writable", e);
            default -> new StorageException("database error on " + location + " while " + doing + ": " + cause, e);
        };
    }
}
