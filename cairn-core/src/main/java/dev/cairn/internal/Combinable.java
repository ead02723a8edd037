package dev.cairn.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A write that group commit may run in one statement together with the other writes of its batch that share its
 * {@link Combiner}: on a database server each statement is a round trip, and a batch of sixteen appends run one by
 * one keeps its callers waiting on sixteen of them. Nested in another write it is plain work ({@link #run}). Alone in
 * its batch on a database server it runs in autocommit, so {@link #run} must write in one statement (reads after it
 * are fine): its commit then costs no round trip of its own.
 */
public interface Combinable<T> extends SqlWork<T> {
    /** What runs this write with others; writes run together only when their combiners are the same object. */
    Combiner combiner();

    /**
     * Completes this write from its part of the combined statement's outcome, on the batch's connection and in its
     * transaction, with this write's after-commit actions. A {@link RuntimeException} is this write's own failure
     * and must mean that it wrote nothing (the others commit); an {@link SQLException} undoes the whole combined
     * statement, and every write of it then runs on its own.
     */
    T complete(Connection connection, Object outcome) throws SQLException;

    /** Runs many {@link Combinable} writes in one statement. */
    interface Combiner {
        /**
         * Runs {@code writes} in one statement and returns each one's outcome, in their order, for
         * {@link Combinable#complete}. Throws when the statement failed as a whole: the transaction is then rolled
         * back and every write runs on its own, under its savepoint, so that only the one at fault fails.
         */
        List<?> runAll(Connection connection, List<Combinable<?>> writes) throws SQLException;
    }
}
