package dev.cairn.events.internal;

import dev.cairn.events.RecordedEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Keeps some projection tables in step with the log. Runs in the transaction of the append, so a reader never sees an
 * event without its projection. A projector must depend only on the events (never on a clock or on other tables), so
 * that replaying the log rebuilds exactly what incremental application built.
 */
interface Projector {
    /** Its name in {@code projector_cursors}; never change it. */
    String name();

    /** Whether it projects events of this type; an append of no such event skips the projector entirely. */
    boolean projects(String type);

    /** Applies events, in sequence order; events it does not know it skips. */
    void apply(Connection connection, List<RecordedEvent> events) throws SQLException;

    /** Removes every row built from the events of a stream that is being deleted. */
    void forgetStream(Connection connection, String streamId) throws SQLException;

    /** Empties its tables before a rebuild. */
    void clear(Connection connection) throws SQLException;
}
