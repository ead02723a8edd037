package dev.cairn.events.internal;

import dev.cairn.events.RecordedEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Runs the built-in projectors on what an append stores and on what a stream deletion removes. */
final class ProjectorRunner {
    static final List<Projector> PROJECTORS = List.of(new OrchestrationProjector());

    private ProjectorRunner() {}

    /** Projects appended events with every projector that is live (caught up with the log). */
    static void applyAppended(Connection connection, List<RecordedEvent> events) throws SQLException {
        for (Projector projector : PROJECTORS) {
            if (events.stream().anyMatch(event -> projector.projects(event.type()))
                    && ProjectorCursors.isLive(connection, projector.name())) {
                projector.apply(connection, events);
            }
        }
    }

    static void forgetStream(Connection connection, String streamId) throws SQLException {
        for (Projector projector : PROJECTORS) {
            projector.forgetStream(connection, streamId);
        }
    }
}
