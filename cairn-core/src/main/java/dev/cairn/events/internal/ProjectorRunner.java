package dev.cairn.events.internal;

import dev.cairn.events.RecordedEvent;
import dev.cairn.internal.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Runs the built-in projectors on what an append stores and on what a stream deletion removes.
 *
 * <p>Appends that project, and deletions, hold the {@link #LOCK projections lock} shared until they commit; a rebuild
 * takes it alone for each of its steps. So a rebuild never clears the tables under an append that is projecting into
 * them, nor goes live while an append that found it behind (and so did not project) is still uncommitted. With one
 * writer (SQLite) the write transaction already does this, and the lock is a no-op.
 */
final class ProjectorRunner {
    static final List<Projector> PROJECTORS = List.of(new OrchestrationProjector());
    /** The lock that keeps appends that project and a rebuild's steps apart. */
    static final String LOCK = "projections";

    private ProjectorRunner() {}

    /** Projects appended events with every projector that is live (caught up with the log). */
    static void applyAppended(Connection connection, Dialect dialect, List<RecordedEvent> events) throws SQLException {
        boolean locked = false;
        for (Projector projector : PROJECTORS) {
            if (events.stream().anyMatch(event -> projector.projects(event.type()))) {
                if (!locked) {
                    dialect.lockShared(connection, LOCK);
                    locked = true;
                }
                if (ProjectorCursors.isLive(connection, projector.name())) {
                    projector.apply(connection, events);
                }
            }
        }
    }

    /** Whether any projector follows events of {@code type}: their appends then write projections too. */
    static boolean projects(String type) {
        for (Projector projector : PROJECTORS) {
            if (projector.projects(type)) {
                return true;
            }
        }
        return false;
    }

    static void forgetStream(Connection connection, Dialect dialect, String streamId) throws SQLException {
        dialect.lockShared(connection, LOCK);
        for (Projector projector : PROJECTORS) {
            projector.forgetStream(connection, streamId);
        }
    }
}
