package dev.cairn.internal;

import dev.cairn.CairnException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What differs between the database engines Cairn runs on. Repository SQL is written in the common subset of SQLite
 * and PostgreSQL ({@code INSERT ... ON CONFLICT}, {@code RETURNING}, bound parameters, integer epoch milliseconds for
 * time); whatever is not common lives behind this interface, and each dialect has its own migrations directory.
 */
public interface Dialect {
    /** The name used for the migrations directory and in messages: {@code sqlite} or {@code postgresql}. */
    String name();

    /**
     * Whether the database admits one writer at a time (SQLite): then a write transaction already excludes every
     * other writer, and nothing needs locking on top of it.
     */
    boolean singleWriter();

    /** Begins a write transaction that already holds the write lock, so it cannot fail half way to another writer. */
    void beginWrite(Connection connection) throws SQLException;

    /**
     * Begins the transaction a migration runs in, excluding every other process that migrates the same database.
     */
    void beginMigration(Connection connection) throws SQLException;

    void commit(Connection connection) throws SQLException;

    void rollback(Connection connection) throws SQLException;

    /**
     * The clause that makes a {@code SELECT} lock the rows it reads until the transaction ends ({@code FOR UPDATE}),
     * appended to the statement; empty where a write transaction already excludes every other writer.
     */
    String forUpdate();

    /**
     * Tells other connections, once the running transaction commits, that the event log grew (PostgreSQL's NOTIFY,
     * heard through {@link Engine#watchAppends}); a no-op where there is no such channel.
     */
    void announceAppend(Connection connection) throws SQLException;

    /** Whether the exception reports a violated unique or primary-key constraint. */
    boolean isUniqueViolation(SQLException e);

    /** Whether a table of that name exists in the store's schema. */
    boolean tableExists(Connection connection, String table) throws SQLException;

    /** Turns a driver exception into the narrowest Cairn exception; {@code doing} says what was being done. */
    CairnException translate(SQLException e, String location, String doing);
}
