package dev.cairn.internal.postgres;

import dev.cairn.BusyException;
import dev.cairn.CairnException;
import dev.cairn.ConflictException;
import dev.cairn.ReadOnlyException;
import dev.cairn.StorageException;
import dev.cairn.StorageFullException;
import dev.cairn.internal.Dialect;
import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * PostgreSQL: many writers at once, each transaction on its own pooled connection; migrations serialise on an
 * advisory lock named after the schema, so many workers starting at once migrate exactly once.
 */
public final class PostgresDialect implements Dialect {
    public static final PostgresDialect INSTANCE = new PostgresDialect();
    /** The channel appends are announced on, with their schema as payload. */
    static final String APPENDED_CHANNEL = "cairn_appended";
    /** Names an advisory lock by the schema, so that stores in different schemas of one database never share one. */
    private static final String LOCK_KEY = "hashtextextended('cairn.' || current_schema() || '.' || ?, 0)";

    private PostgresDialect() {}

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean singleWriter() {
        return false;
    }

    @Override
    public boolean oneHost() {
        return false;
    }

    @Override
    public String commitHorizon() {
        // The snapshot's xmin: every transaction id below it has ended, and ids are handed out in increasing order.
        return "pg_snapshot_xmin(pg_current_snapshot())::text::bigint";
    }

    @Override
    public void boundLockWaits(Connection connection, long millis) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
            statement.setString(1, Math.max(1, millis) + "ms");
            statement.execute();
        }
    }

    @Override
    public void lockShared(Connection connection, String name) throws SQLException {
        Sql.one(connection, "SELECT pg_advisory_xact_lock_shared(" + LOCK_KEY + ")", row -> null, name);
    }

    @Override
    public void lockExclusive(Connection connection, String name) throws SQLException {
        Sql.one(connection, "SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")", row -> null, name);
    }

    @Override
    public boolean isDeadlock(SQLException e) {
        return "40P01".equals(e.getSQLState());
    }

    @Override
    public String forUpdate() {
        return " FOR UPDATE";
    }

    @Override
    public void beginWrite(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }

    @Override
    public void beginMigration(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // Held until this transaction ends; every Cairn migrating the same schema waits here for its turn.
            statement.execute("SELECT pg_advisory_xact_lock(hashtext('cairn.migrate.' || current_schema()))");
        }
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        connection.commit();
        connection.setAutoCommit(true);
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    @Override
    public Set<String> tables(Connection connection) throws SQLException {
        return Sql.names(connection, "SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
    }

    @Override
    public String greatest(String a, String b) {
        return "greatest(" + a + ", " + b + ")";
    }

    @Override
    public Map<String, Long> idPositions(Connection connection) throws SQLException {
        return PostgresIdentities.positions(connection);
    }

    @Override
    public void advanceIdGenerators(Connection connection, Map<String, Long> floor) throws SQLException {
        PostgresIdentities.advance(connection, floor);
    }

    @Override
    public Object uuid(UUID id) {
        return id;
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    @Override
    public CairnException translate(SQLException e, String location, String doing) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String cause = e.getMessage();
        if (state.equals("55P03") || state.equals("57014") || state.equals("40P01") || state.equals("40001")) {
            return new BusyException(location + " stayed locked by another transaction while " + doing + " ("
                    + cause + "); nothing was written. Retry", e);
        }
        if (state.startsWith("23")) {
            return new ConflictException("a constraint of " + location + " refused " + doing + ": " + cause, e);
        }
        if (state.equals("53100")) {
            return new StorageFullException("the disk of the PostgreSQL server of " + location + " is full while "
                    + doing + "; the transaction was rolled back. Free space on the server and retry", e);
        }
        if (state.equals("25006")) {
            return new ReadOnlyException("cannot write " + location + " while " + doing + ": the connection or "
                    + "server is read-only (" + cause + ")", e);
        }
        if (state.startsWith("08")) {
            return new StorageException("lost the connection to " + location + " while " + doing + " (" + cause
                    + "); check that the server is up and reachable", e);
        }
        return new StorageException("database error on " + location + " while " + doing + ": " + cause, e);
    }
}
