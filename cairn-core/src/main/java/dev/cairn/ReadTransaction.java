package dev.cairn;

import dev.cairn.internal.Dialect;
import dev.cairn.internal.EventIds;
import dev.cairn.internal.Session;
import dev.cairn.internal.SqlWork;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * A read-only view of the store as of one moment, for a view that needs several reads to agree with each other:
 * every repository read called on it runs on one reader connection inside one read transaction (on SQLite a WAL
 * snapshot, on PostgreSQL {@code REPEATABLE READ READ ONLY}), so a write another connection commits meanwhile is not
 * seen. It never takes the store's writer.
 *
 * <pre>{@code
 * GoalView view = db.read(tx -> new GoalView(tx.goals().get(id), tx.goals().tasks().byGoal(id)));
 * }</pre>
 *
 * <p>Any write called on it fails with {@link ReadOnlyException} naming the operation, and changes nothing. It can be
 * used only while the function given to {@link Cairn#read} runs; afterwards it fails with
 * {@link TransactionStateException}.
 */
public final class ReadTransaction extends Repositories {
    private final ReadSession session;

    private ReadTransaction(ReadSession session) {
        this.session = session;
    }

    /** Runs {@code work} with a read transaction on {@code connection}, which the engine holds open meanwhile. */
    static <T> T run(Session store, Connection connection, String openedAt,
            java.util.function.Function<ReadTransaction, T> work) {
        ReadSession session = new ReadSession(store, connection, openedAt);
        try {
            return work.apply(new ReadTransaction(session));
        } finally {
            session.ended = true;
        }
    }

    @Override
    Session session() {
        return session;
    }

    /** Every read runs on the one connection of the read transaction; every write is refused before it runs. */
    private static final class ReadSession implements Session {
        private final Session store;
        private final Connection connection;
        private final String openedAt;
        volatile boolean ended;

        ReadSession(Session store, Connection connection, String openedAt) {
            this.store = store;
            this.connection = connection;
            this.openedAt = openedAt;
        }

        @Override
        public EventIds eventIds() {
            return store.eventIds();
        }

        @Override
        public Dialect dialect() {
            return store.dialect();
        }

        @Override
        public Clock clock() {
            return store.clock();
        }

        @Override
        public Instant sharedNow(Connection connection) throws SQLException {
            return store.sharedNow(connection);
        }

        @Override
        public String location() {
            return store.location();
        }

        @Override
        public <T> T read(SqlWork<T> work) {
            if (ended) {
                throw new TransactionStateException("the read transaction opened at " + openedAt + " has ended; "
                        + "use it only inside the function given to read()");
            }
            try {
                return work.run(connection);
            } catch (SQLException e) {
                throw dialect().translate(e, location(), "reading in the read transaction opened at " + openedAt);
            }
        }

        @Override
        public <T> T write(SqlWork<T> work) {
            throw new ReadOnlyException("cannot " + attempted() + " in the read transaction opened at " + openedAt
                    + " on " + location() + ": it only reads, and nothing was written. Write through the store or "
                    + "in inTransaction() instead");
        }

        @Override
        public void afterCommit(Runnable action) {
            throw new ReadOnlyException("a read transaction on " + location() + " never commits");
        }
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /**
     * The repository operation that tried to write, as its caller called it ({@code GoalStore.create}): the
     * outermost of the consecutive frames in Cairn's {@code internal} packages (or default methods of its API
     * interfaces), named by the public interface that declares its method.
     */
    private static String attempted() {
        Optional<StackWalker.StackFrame> outermost = WALKER.walk(frames -> frames
                .dropWhile(f -> f.getDeclaringClass() == ReadSession.class
                        || f.getDeclaringClass() == ReadTransaction.class)
                .takeWhile(ReadTransaction::insideRepository)
                .reduce((inner, outer) -> outer));
        return outermost.map(f -> apiName(f.getDeclaringClass(), f.getMethodName()) + "()").orElse("write");
    }

    private static boolean insideRepository(StackWalker.StackFrame frame) {
        Class<?> type = frame.getDeclaringClass();
        return type.getName().startsWith("dev.cairn.")
                && (type.getPackageName().contains(".internal") || type.isInterface());
    }

    private static String apiName(Class<?> implementation, String method) {
        if (implementation.isInterface() && !implementation.getPackageName().contains(".internal")) {
            return implementation.getSimpleName() + "." + method;
        }
        for (Class<?> api : implementation.getInterfaces()) {
            if (!api.getPackageName().contains(".internal")
                    && Arrays.stream(api.getMethods()).anyMatch(m -> m.getName().equals(method))) {
                return api.getSimpleName() + "." + method;
            }
        }
        return implementation.getSimpleName() + "." + method;
    }
}
