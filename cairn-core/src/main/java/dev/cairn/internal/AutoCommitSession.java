package dev.cairn.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's own session: every write is one transaction of its own, every read a snapshot on a reader connection.
 *
 * <p>A repository may call another inside its write (a goal change appends to the goal's event stream): such nested
 * calls on the same thread run on the same connection and commit together, and reads nested in a write see its
 * uncommitted rows. A thread that holds an explicit {@link dev.cairn.Transaction} open cannot write through the store
 * at the same time: that write would either deadlock or silently join the transaction, so it fails instead.
 */
public final class AutoCommitSession implements Session {
    private static final Logger LOG = LoggerFactory.getLogger(AutoCommitSession.class);

    private final Engine engine;
    private final ThreadLocal<Write> current = new ThreadLocal<>();

    public AutoCommitSession(Engine engine) {
        this.engine = engine;
    }

    private static final class Write {
        final Connection connection;
        final List<Runnable> afterCommit = new ArrayList<>(2);

        Write(Connection connection) {
            this.connection = connection;
        }
    }

    @Override
    public Dialect dialect() {
        return engine.dialect();
    }

    @Override
    public Clock clock() {
        return engine.clock();
    }

    @Override
    public String location() {
        return engine.location();
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        Write write = current.get();
        if (write == null) {
            return engine.read(work);
        }
        try {
            return work.run(write.connection);
        } catch (SQLException e) {
            throw dialect().translate(e, location(), "reading");
        }
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        Write outer = current.get();
        if (outer != null) {
            try {
                return work.run(outer.connection);
            } catch (SQLException e) {
                throw dialect().translate(e, location(), "writing");
            }
        }
        T result;
        Write write;
        try (Engine.WriteLease lease = engine.acquireWriter("a store-level write")) {
            write = new Write(lease.connection());
            current.set(write);
            try {
                result = inTransaction(write.connection, work);
            } finally {
                current.remove();
            }
        }
        runAfterCommit(write.afterCommit);
        return result;
    }

    private <T> T inTransaction(Connection connection, SqlWork<T> work) {
        try {
            dialect().beginWrite(connection);
        } catch (SQLException e) {
            throw dialect().translate(e, location(), "beginning a write");
        }
        try {
            T result = work.run(connection);
            dialect().commit(connection);
            return result;
        } catch (SQLException e) {
            rollbackAfter(connection, e);
            throw dialect().translate(e, location(), "writing");
        } catch (RuntimeException | Error e) {
            rollbackAfter(connection, e);
            throw e;
        }
    }

    private void rollbackAfter(Connection connection, Throwable failure) {
        try {
            dialect().rollback(connection);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void afterCommit(Runnable action) {
        Write write = current.get();
        if (write == null) {
            throw new IllegalStateException("afterCommit outside a write");
        }
        write.afterCommit.add(action);
    }

    /** Runs post-commit actions; one failing does not stop the others, and none can undo the commit. */
    public static void runAfterCommit(List<Runnable> actions) {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("an after-commit action failed; the commit itself stands", e);
            }
        }
    }
}
