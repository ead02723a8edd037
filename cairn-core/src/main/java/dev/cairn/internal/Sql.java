package dev.cairn.internal;

import dev.cairn.CairnException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The few JDBC moves every repository makes, so that each states only its SQL and its row mapping. Every value is a
 * bound parameter: {@code null}, strings, numbers, booleans, {@link Instant}s (as epoch milliseconds) and enums (as
 * their {@code storedName()}: never {@code name()} or {@code toString()}, so renaming a constant cannot change a row).
 */
public final class Sql {
    /**
     * Each persisted enum's {@code storedName()}. Found by reflection because the enums are API types and no
     * internal interface may appear in their signatures; an enum without one is refused rather than stored by name.
     */
    private static final ClassValue<Method> STORED_NAME = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                Method method = type.getMethod("storedName");
                return method.getReturnType() == String.class ? method : null;
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    private Sql() {}

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    public static int update(Connection connection, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            return statement.executeUpdate();
        }
    }

    public static <T> List<T> list(Connection connection, String sql, RowMapper<T> mapper, Object... args)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        }
    }

    public static <T> Optional<T> one(Connection connection, String sql, RowMapper<T> mapper, Object... args)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.ofNullable(mapper.map(rows)) : Optional.empty();
            }
        }
    }

    /** The first column of every row, lower case, in name order: for catalogue queries that list names. */
    public static Set<String> names(Connection connection, String sql, Object... args) throws SQLException {
        Set<String> names = new TreeSet<>();
        for (String name : list(connection, sql, row -> row.getString(1), args)) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
        return names;
    }

    /** Rows per table, tables in name order. */
    public static Map<String, Long> rowCounts(Connection connection, Set<String> tables) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        for (String table : tables) {
            counts.put(table, longValue(connection, "SELECT count(*) FROM " + quote(table), 0));
        }
        return counts;
    }

    /** Quotes an identifier (a table name read from the catalogue), which unlike a value cannot be bound. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The first column of the first row as a long, or {@code otherwise} when there is no row or it is NULL. */
    public static long longValue(Connection connection, String sql, long otherwise, Object... args)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return otherwise;
                }
                long value = rows.getLong(1);
                return rows.wasNull() ? otherwise : value;
            }
        }
    }

    public static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            bindAt(statement, i + 1, args[i]);
        }
    }

    /** Binds one value at a parameter index, as {@link #bind} binds each. */
    public static void bindAt(PreparedStatement statement, int index, Object arg) throws SQLException {
        if (arg == null) {
            statement.setNull(index, Types.NULL);
        } else if (arg instanceof String s) {
            statement.setString(index, s);
        } else if (arg instanceof Long l) {
            statement.setLong(index, l);
        } else if (arg instanceof Integer n) {
            statement.setInt(index, n);
        } else if (arg instanceof Boolean b) {
            statement.setBoolean(index, b);
        } else if (arg instanceof Double d) {
            statement.setDouble(index, d);
        } else if (arg instanceof Instant t) {
            statement.setLong(index, t.toEpochMilli());
        } else if (arg instanceof Enum<?> e) {
            statement.setString(index, storedName(e));
        } else if (arg instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else {
            throw new IllegalArgumentException("cannot bind a " + arg.getClass().getName() + " at parameter "
                    + index + "; convert it to a string or number first");
        }
    }

    /** A UUID as the 16 bytes SQLite keeps in a BLOB column: most significant long first, as UUID orders them. */
    public static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    /**
     * A uuid column of either dialect: PostgreSQL's driver returns the UUID, SQLite the 16 bytes {@link #bytes}
     * wrote. Null stays null.
     */
    public static UUID uuid(ResultSet row, int column) throws SQLException {
        Object value = row.getObject(column);
        if (value == null || value instanceof UUID) {
            return (UUID) value;
        }
        if (value instanceof byte[] bytes && bytes.length == 16) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new UUID(buffer.getLong(), buffer.getLong());
        }
        throw new CairnException("column " + row.getMetaData().getColumnName(column) + " holds " + value.getClass()
                .getSimpleName() + ", not a uuid; run 'cairn doctor'");
    }

    /** A nullable BIGINT column. */
    public static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    /** A nullable epoch-millisecond column as an instant. */
    public static Instant nullableInstant(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static String storedName(Enum<?> value) {
        Method method = STORED_NAME.get(value.getDeclaringClass());
        if (method == null) {
            throw new IllegalArgumentException("cannot bind " + value.getDeclaringClass().getName() + "." + value.name()
                    + ": a persisted enum declares its storedName()");
        }
        try {
            return (String) method.invoke(value);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read the stored name of " + value, e);
        }
    }
}
