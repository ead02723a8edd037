package dev.cairn.events.internal;

import dev.cairn.events.orchestration.ProjectEvent;
import dev.cairn.internal.Sql;
import dev.cairn.projections.ProjectView;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The SQL of {@code projection_projects}. */
final class ProjectRows {
    private static final String COLUMNS = "project_id, title, workspace_root, default_model, created_at, updated_at";

    private ProjectRows() {}

    static void created(Connection c, ProjectEvent.Created e, Instant at) throws SQLException {
        Sql.update(c, "INSERT INTO projection_projects (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)",
                e.projectId(), e.title(), e.workspaceRoot(), e.defaultModel(), at, at);
    }

    static void metaUpdated(Connection c, ProjectEvent.MetaUpdated e, Instant at) throws SQLException {
        Sql.update(c, "UPDATE projection_projects SET title = COALESCE(?, title), "
                + "workspace_root = COALESCE(?, workspace_root), default_model = COALESCE(?, default_model), "
                + "updated_at = ? WHERE project_id = ?",
                e.title(), e.workspaceRoot(), e.defaultModel(), at, e.projectId());
    }

    static void delete(Connection c, String projectId) throws SQLException {
        Sql.update(c, "DELETE FROM projection_projects WHERE project_id = ?", projectId);
    }

    static void clear(Connection c) throws SQLException {
        Sql.update(c, "DELETE FROM projection_projects");
    }

    static List<ProjectView> all(Connection c) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM projection_projects ORDER BY title, project_id",
                ProjectRows::map);
    }

    static Optional<ProjectView> one(Connection c, String projectId) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM projection_projects WHERE project_id = ?", ProjectRows::map,
                projectId);
    }

    private static ProjectView map(ResultSet row) throws SQLException {
        return new ProjectView(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                Instant.ofEpochMilli(row.getLong(5)), Instant.ofEpochMilli(row.getLong(6)));
    }
}
