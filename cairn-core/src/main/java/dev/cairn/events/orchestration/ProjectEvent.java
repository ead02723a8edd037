package dev.cairn.events.orchestration;

import dev.cairn.events.EventType;

/** The events of a project: a workspace that threads work in. Stream {@code project:ID}. */
public sealed interface ProjectEvent extends OrchestrationEvent {
    String projectId();

    @Override
    default String streamId() {
        return "project:" + projectId();
    }

    /** A project was created. */
    @EventType("project.created")
    record Created(String projectId, String title, String workspaceRoot, String defaultModel) implements ProjectEvent {
        public Created {
            Require.id(projectId, "projectId");
            Require.text(title, "title");
        }
    }

    /** Some of a project's details changed; a null field is unchanged. */
    @EventType("project.meta-updated")
    record MetaUpdated(String projectId, String title, String workspaceRoot, String defaultModel)
            implements ProjectEvent {
        public MetaUpdated {
            Require.id(projectId, "projectId");
        }
    }

    /** A project was deleted. */
    @EventType("project.deleted")
    record Deleted(String projectId) implements ProjectEvent {
        public Deleted {
            Require.id(projectId, "projectId");
        }
    }
}
