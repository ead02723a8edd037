package dev.cairn.goals.internal;

import dev.cairn.InvalidInputException;
import dev.cairn.goals.Artifact;
import dev.cairn.goals.ArtifactStore;
import dev.cairn.goals.Goal;
import dev.cairn.internal.Session;
import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Artifacts on a session, and the SQL of the {@code goal_artifacts} table. */
final class SqlArtifactStore implements ArtifactStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String COLUMNS = "artifact_id, goal_id, kind, path, mime_type, size_bytes, sha256, "
            + "created_at, base_dir";

    private final Session session;
    private final GoalEvents events;

    SqlArtifactStore(Session session, GoalEvents events) {
        this.session = session;
        this.events = events;
    }

    @Override
    public Artifact register(String goalId, String kind, String path, String mimeType, Long sizeBytes,
            String sha256) {
        String what = "artifact of goal " + goalId;
        if (kind == null || kind.isBlank()) {
            throw new InvalidInputException(what + " at '" + path + "' needs a kind, for example log or patch");
        }
        String normal = Paths.inside(path, what);
        if (sizeBytes != null && sizeBytes < 0) {
            throw new InvalidInputException(what + " at " + normal + ": size cannot be negative, was " + sizeBytes);
        }
        String digest = sha256 == null ? null : sha256.toLowerCase(Locale.ROOT);
        if (digest != null && !SHA256.matcher(digest).matches()) {
            throw new InvalidInputException(what + " at " + normal + ": sha256 must be 64 hex digits, was " + sha256);
        }
        return session.write(c -> {
            Goal goal = GoalTable.lock(c, session.dialect(), goalId);
            // Lexically inside the project directory, whatever that directory is; checked against it once more so
            // the rule is stated in terms of the goal, not only of the string.
            java.nio.file.Path project = java.nio.file.Path.of(goal.projectDir()).normalize();
            if (!project.resolve(normal).normalize().startsWith(project)) {
                throw new InvalidInputException(what + ": path '" + path + "' leads outside " + project);
            }
            Artifact artifact = Sql.one(c, "INSERT INTO goal_artifacts (goal_id, kind, path, mime_type, size_bytes, "
                    + "sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS, SqlArtifactStore::map,
                    goalId, kind, normal, mimeType, sizeBytes, digest, session.clock().instant()).orElseThrow();
            events.artifactRegistered(artifact);
            return artifact;
        });
    }

    /**
     * An artifact of an imported goal, with the time the other store recorded and the directory its path is relative
     * to (see {@link Artifact#baseDir()}); the importer has confined the path to that directory. Recorded by the
     * import's own event, not by {@code goal.artifact-registered}.
     */
    static Artifact insertImported(Connection c, String goalId, String kind, String path, String baseDir,
            String mimeType, Long sizeBytes, String sha256, Instant createdAt) throws SQLException {
        String normal = Paths.inside(path, "artifact of goal " + goalId);
        return Sql.one(c, "INSERT INTO goal_artifacts (goal_id, kind, path, mime_type, size_bytes, sha256, created_at, "
                + "base_dir) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS, SqlArtifactStore::map, goalId, kind,
                normal, mimeType, sizeBytes, sha256, createdAt, baseDir).orElseThrow();
    }

    @Override
    public List<Artifact> byGoal(String goalId) {
        return GoalRows.list(session, goalId, "SELECT " + COLUMNS + " FROM goal_artifacts WHERE goal_id = ? ORDER BY "
                + "artifact_id", SqlArtifactStore::map, goalId);
    }

    @Override
    public List<Artifact> byGoal(String goalId, String kind) {
        return GoalRows.list(session, goalId, "SELECT " + COLUMNS + " FROM goal_artifacts WHERE goal_id = ? "
                + "AND kind = ? ORDER BY artifact_id", SqlArtifactStore::map, goalId, kind);
    }

    @Override
    public int deleteByGoal(String goalId) {
        return GoalRows.deleteAll(session, events, goalId, "goal_artifacts", "artifacts");
    }

    private static Artifact map(ResultSet row) throws SQLException {
        return new Artifact(row.getLong("artifact_id"), row.getString("goal_id"), row.getString("kind"),
                row.getString("path"), row.getString("mime_type"), Sql.nullableLong(row, "size_bytes"),
                row.getString("sha256"), Instant.ofEpochMilli(row.getLong("created_at")), row.getString("base_dir"));
    }
}
