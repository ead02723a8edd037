package dev.cairn.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the prepared statements of one connection for reuse: repository code prepares and closes a statement per
 * call, as JDBC code should, and gets back the statement it prepared last time.
 *
 * <p>Written here because sqlite-jdbc has no statement cache (pgjdbc does), and preparing the handful of statements
 * an append runs costs more than executing them. The connection handed to repositories is a proxy:
 * {@code prepareStatement(sql)} returns a cached statement unless that one is in use (then a fresh one), and closing
 * a cached statement only resets it. The cache is bounded (least recently used statements are closed), and closing
 * the connection closes them all.
 */
public final class StatementCache implements InvocationHandler {
    private static final int CAPACITY = 128;

    private final Connection real;
    private final Map<String, Cached> entries = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            if (size() > CAPACITY && !eldest.getValue().inUse) {
                eldest.getValue().closeQuietly();
                return true;
            }
            return false;
        }
    };

    private StatementCache(Connection real) {
        this.real = real;
    }

    /** The connection, with its prepared statements cached. */
    public static Connection wrap(Connection real) {
        return (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new StatementCache(real));
    }

    /**
     * Closes the cached statements of a connection this class wrapped. {@code VACUUM} refuses to run while any
     * statement that wrote is still prepared on the connection (sqlite-jdbc keeps them active), so it calls this first.
     */
    public static void clear(Connection connection) {
        if (Proxy.isProxyClass(connection.getClass())
                && Proxy.getInvocationHandler(connection) instanceof StatementCache cache) {
            cache.entries.values().removeIf(entry -> {
                if (entry.inUse) {
                    return false;
                }
                entry.closeQuietly();
                return true;
            });
        }
    }

    /**
     * The driver's own statement behind one this cache handed out, for code that binds many values: every call on the
     * handed-out statement is a reflective call through its proxy (boxing, an argument array, an access check), which
     * measured a fifth of the Java time of a 1000-event append. Bind and execute on the result; close the handed-out
     * one, which gives it back. Any other statement is returned as it is.
     */
    public static PreparedStatement direct(PreparedStatement statement) throws SQLException {
        return Proxy.isProxyClass(statement.getClass()) ? statement.unwrap(PreparedStatement.class) : statement;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("prepareStatement") && args != null && args.length == 1) {
            return prepare((String) args[0]);
        }
        if (name.equals("close")) {
            for (Iterator<Cached> it = entries.values().iterator(); it.hasNext(); ) {
                it.next().closeQuietly();
                it.remove();
            }
        }
        return call(real, method, args);
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        Cached entry = entries.get(sql);
        if (entry == null) {
            entry = new Cached(real.prepareStatement(sql));
            entries.put(sql, entry);
        } else if (entry.inUse) {
            // The same SQL while its cached statement is still open (a nested use): an ordinary statement.
            return real.prepareStatement(sql);
        }
        entry.inUse = true;
        return entry.proxy;
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A cached statement and the proxy whose {@code close()} hands it back instead of closing it. */
    private static final class Cached implements InvocationHandler {
        final PreparedStatement statement;
        final PreparedStatement proxy;
        boolean inUse;
        /** The result set of the current use, if its user asked for one; closed when the statement is handed back. */
        ResultSet results;
        /** Whether {@code execute()} produced rows nobody asked for yet. */
        boolean rowsPending;

        Cached(PreparedStatement statement) {
            this.statement = statement;
            this.proxy = (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("close")) {
                if (inUse) {
                    inUse = false;
                    // Reset, so that no half-read query keeps a snapshot or a lock until the next use.
                    if (results == null && rowsPending) {
                        results = statement.getResultSet();
                    }
                    if (results != null && !results.isClosed()) {
                        results.close();
                    }
                    results = null;
                    rowsPending = false;
                    statement.clearBatch();
                }
                return null;
            }
            if (name.equals("isClosed")) {
                return !inUse || statement.isClosed();
            }
            Object result = call(statement, method, args);
            if (result instanceof ResultSet rows) {
                results = rows;
                rowsPending = false;
            } else if (name.equals("execute")) {
                rowsPending = Boolean.TRUE.equals(result);
            }
            return result;
        }

        void closeQuietly() {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing a statement of a closing connection
            }
        }
    }
}
