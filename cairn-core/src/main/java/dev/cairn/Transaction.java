package dev.cairn;

import dev.cairn.internal.AutoCommitSession;
import dev.cairn.internal.Dialect;
import dev.cairn.internal.Engine;
import dev.cairn.internal.EventIds;
import dev.cairn.internal.Session;
import dev.cairn.internal.SqlWork;
import java.lang.ref.Cleaner;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open write transaction: every repository operation called on it takes part in it, reads included (they see its
 * own uncommitted writes). Other connections see none of it until {@link #commit()}.
 *
 * <pre>{@code
 * try (Transaction tx = db.begin()) {
 *     ...
 *     tx.commit();
 * }
 * }</pre>
 *
 * <p>Closing a transaction that was neither committed nor rolled back rolls it back and logs a warning naming the
 * line that opened it. A transaction that is dropped without being closed at all is found by the garbage collector,
 * rolled back, and reported the same way, so a forgotten {@code close()} cannot hold the writer forever. While a
 * transaction is open it holds the store's writer: keep it short, and do not write through the store itself on the
 * same thread (that fails with {@link TransactionStateException} instead of deadlocking or silently joining).
 */
public final class Transaction extends Repositories implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Transaction.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private final State state;
    private final Cleaner.Cleanable cleanable;
    private final Session session;

    /** What must be undone if the transaction is lost: kept apart so the cleaner does not keep the transaction alive. */
    private static final class State implements Runnable {
        final Engine.WriteLease lease;
        final Dialect dialect;
        final String location;
        final String openedAt;
        final List<Runnable> afterCommit = new ArrayList<>(2);
        volatile boolean ended;

        State(Engine.WriteLease lease, Dialect dialect, String location, String openedAt) {
            this.lease = lease;
            this.dialect = dialect;
            this.location = location;
            this.openedAt = openedAt;
        }

        @Override
        public void run() {
            if (!ended) {
                ended = true;
                LOG.error("a transaction on {} opened at {} was never closed; it was rolled back when it was "
                        + "garbage-collected. Close transactions with try-with-resources", location, openedAt);
                try {
                    dialect.rollback(lease.connection());
                } catch (SQLException e) {
                    LOG.warn("rolling back the abandoned transaction failed", e);
                } finally {
                    lease.close();
                }
            }
        }
    }

    Transaction(Engine engine, String openedAt) {
        Engine.WriteLease lease = engine.acquireWriter("the transaction opened at " + openedAt);
        try {
            engine.dialect().beginWrite(lease.connection());
        } catch (SQLException e) {
            lease.close();
            throw engine.dialect().translate(e, engine.location(), "beginning a transaction");
        }
        this.state = new State(lease, engine.dialect(), engine.location(), openedAt);
        this.cleanable = CLEANER.register(this, state);
        this.session = new TransactionSession(engine, state);
    }

    /** Makes every write of this transaction durable and visible to others; then runs the after-commit actions. */
    public void commit() {
        requireOpen("commit");
        state.ended = true;
        try {
            state.dialect.commit(state.lease.connection());
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw state.dialect.translate(e, state.location, "committing the transaction opened at "
                    + state.openedAt);
        } finally {
            release();
        }
        AutoCommitSession.runAfterCommit(state.afterCommit);
    }

    /** Discards every write of this transaction. */
    public void rollback() {
        requireOpen("roll back");
        state.ended = true;
        try {
            state.dialect.rollback(state.lease.connection());
        } catch (SQLException e) {
            throw state.dialect.translate(e, state.location, "rolling back the transaction opened at "
                    + state.openedAt);
        } finally {
            release();
        }
    }

    /** Whether the transaction can still be used: neither committed, rolled back nor closed. */
    public boolean isOpen() {
        return !state.ended;
    }

    /** Rolls back unless {@link #commit()} or {@link #rollback()} was called; a no-op after them. */
    @Override
    public void close() {
        if (state.ended) {
            return;
        }
        LOG.warn("a transaction on {} opened at {} was closed without commit; it was rolled back",
                state.location, state.openedAt);
        rollback();
    }

    /** Rolls back without the warning: the failure that made the caller give up is reported already. */
    void abandon(Throwable failure) {
        if (!state.ended) {
            try {
                rollback();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private void rollbackQuietly(Throwable failure) {
        try {
            state.dialect.rollback(state.lease.connection());
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void release() {
        state.lease.close();
        cleanable.clean(); // state.ended is set, so this only unregisters
    }

    private void requireOpen(String action) {
        if (state.ended) {
            throw new TransactionStateException("cannot " + action + " the transaction opened at " + state.openedAt
                    + ": it has already ended");
        }
    }

    String openedAt() {
        return state.openedAt;
    }

    @Override
    Session session() {
        return session;
    }

    /** Every read and write runs on the transaction's connection, while it is open. */
    private static final class TransactionSession implements Session {
        private final Engine engine;
        private final State state;

        TransactionSession(Engine engine, State state) {
            this.engine = engine;
            this.state = state;
        }

        @Override
        public EventIds eventIds() {
            return engine.eventIds();
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
        public Instant sharedNow(Connection connection) throws SQLException {
            return engine.sharedNow(connection);
        }

        @Override
        public String location() {
            return engine.location();
        }

        @Override
        public <T> T read(SqlWork<T> work) {
            return run(work, "reading");
        }

        @Override
        public <T> T write(SqlWork<T> work) {
            return run(work, "writing");
        }

        private <T> T run(SqlWork<T> work, String doing) {
            if (state.ended) {
                throw new TransactionStateException("the transaction opened at " + state.openedAt
                        + " has already ended; begin a new one");
            }
            Connection connection = state.lease.connection();
            try {
                return work.run(connection);
            } catch (SQLException e) {
                throw engine.dialect().translate(e, engine.location(), doing + " in the transaction opened at "
                        + state.openedAt);
            }
        }

        @Override
        public void afterCommit(Runnable action) {
            state.afterCommit.add(action);
        }

        @Override
        public void appended(long transactionOrder) {
            engine.appended(transactionOrder);
        }
    }
}
