package dev.cairn.internal;

import dev.cairn.CairnException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What differs between the database engines Cairn runs on. Repository SQL is written in the common subset of SQLite
 * and PostgreSQL ({@code INSERT ... ON CONFLICT}, {@code RETURNING}, bound parameters, integer epoch milliseconds for
 * time); whatever is not common lives behind this interface, and each dialect has its own migrations directory.
 * Domain code never asks which dialect it runs on: it asks this interface for the piece of SQL or the step that
 * differs.
 */
public interface Dialect {
    /** The name used for the migrations directory and in messages: {@code sqlite} or {@code postgresql}. */
    String name();

    /**
     * Whether the database admits one writer at a time (SQLite): then a write transaction already excludes every
     * other writer, and nothing needs locking on top of it.
     */
    boolean singleWriter();

    /**
     * Whether every process of the store runs on this host (a SQLite file, which processes share only on one host).
     * Then a process id recorded by an owner on this host that names no running process is a dead owner, whatever
     * its last heartbeat says; elsewhere a pid means nothing to another host, and only heartbeats count.
     */
    boolean oneHost();

    /** Begins a write transaction that already holds the write lock, so it cannot fail half way to another writer. */
    void beginWrite(Connection connection) throws SQLException;

    /**
     * Like {@link #beginWrite(Connection)}, but a wait for another process's write lock ends at {@code deadline} (a
     * {@link System#nanoTime()} value) when that comes before the busy timeout.
     */
    default void beginWrite(Connection connection, long deadline) throws SQLException {
        beginWrite(connection);
    }

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
     * An SQL expression (a {@code BIGINT}) for the oldest transaction that may still commit: every transaction ordered
     * below it has ended, so no row it would have written can still appear. Readers that follow a table written by
     * many transactions in parallel read only rows of transactions below it. Null where the writer is single
     * ({@link #singleWriter()}): transactions then commit in the order they began, one at a time.
     */
    String commitHorizon();

    /**
     * Bounds the waits for row locks of the rest of the write transaction begun on {@code connection} to
     * {@code millis} (at least 1), where a server waits for them (PostgreSQL's {@code lock_timeout}); a no-op on a
     * single writer, whose write transaction waits for nothing once begun.
     */
    default void boundLockWaits(Connection connection, long millis) throws SQLException {}

    /**
     * Takes the lock named {@code name} in shared mode until the transaction ends: any number of transactions hold it
     * together, and {@link #lockExclusive} waits for all of them. A no-op on a single writer, whose write transaction
     * already excludes every other. Names are per store (per schema).
     */
    void lockShared(Connection connection, String name) throws SQLException;

    /** Takes the lock named {@code name} alone until the transaction ends (see {@link #lockShared}). */
    void lockExclusive(Connection connection, String name) throws SQLException;

    /**
     * Whether the exception reports that the statement was chosen to end a deadlock between transactions; the same
     * work, retried in a transaction of its own, may well succeed.
     */
    boolean isDeadlock(SQLException e);

    /** The SQL expression for the larger of two values ({@code max(a, b)} in SQLite, {@code greatest} elsewhere). */
    String greatest(String a, String b);

    /** What to bind for a uuid column: its 16 bytes on SQLite (a BLOB), the UUID itself for PostgreSQL's uuid type. */
    Object uuid(UUID id);

    /** Whether the exception reports a violated unique or primary-key constraint. */
    boolean isUniqueViolation(SQLException e);

    /** The store's tables, lower case and in name order, without the engine's own bookkeeping tables. */
    Set<String> tables(Connection connection) throws SQLException;

    /** Whether a table of that name exists in the store's schema. */
    default boolean tableExists(Connection connection, String table) throws SQLException {
        return tables(connection).contains(table);
    }

    /**
     * The last value each id generator of the store handed out, by {@code table.column}; empty where ids come from
     * the largest id in the table (SQLite's integer primary keys), which a copy of the rows carries by itself.
     */
    Map<String, Long> idPositions(Connection connection) throws SQLException;

    /**
     * Moves every id generator of the store past the largest id in its table and past {@code floor} (positions read
     * from another store with {@link #idPositions}), so that rows inserted with explicit ids are not collided with
     * by later inserts; nothing to do where ids come from the table itself.
     */
    void advanceIdGenerators(Connection connection, Map<String, Long> floor) throws SQLException;

    /** Turns a driver exception into the narrowest Cairn exception; {@code doing} says what was being done. */
    CairnException translate(SQLException e, String location, String doing);
}
