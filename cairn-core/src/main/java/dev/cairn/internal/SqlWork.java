package dev.cairn.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** A piece of database work on one connection; the caller decides which connection and which transaction. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
