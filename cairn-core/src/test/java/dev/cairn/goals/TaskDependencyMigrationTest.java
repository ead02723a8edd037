package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Backends;
import dev.cairn.Cairn;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose task graphs were written before dependencies had rows of their own (schema version 7, the lists only
 * as JSON in goal_tasks.depends_on) keeps its graphs: the migration derives the rows from the lists, so which tasks
 * are ready, and which one a claim takes, is what it was.
 */
class TaskDependencyMigrationTest {
    @TempDir
    Path dir;

    String location() {
        return dir.resolve("old.db").toString();
    }

    /** Migrates a new store to version 7 only, and writes two goals' graphs as version 7 of Cairn wrote them. */
    void anOldStoreWithTaskGraphs() throws SQLException {
        Backends.migrateTo(location(), 7);
        try (Connection c = Raw.connect(location()); Statement s = c.createStatement()) {
            for (String goal : List.of("g", "h")) {
                s.execute("INSERT INTO goals (goal_id, original_text, normalized_text, kind, project_dir, status, "
                        + "phase, delivery_policy, merge_policy, until_ready, slice_execution, max_agents, created_at, "
                        + "updated_at, version) VALUES ('" + goal + "', 'old', 'old', 'feature', '/p', 'running', "
                        + "'execution', 'local', 'disabled', FALSE, FALSE, 1, 1, 1, 2)");
            }
            // g: a is done; b waits for a, c for a and b (b named twice), d for c; e, already marked ready, for a.
            // h: its own a, pending, and x waiting for it: dependencies stay within their goal.
            String[][] tasks = {
                {"g", "a", "0", "done", "[]"},
                {"g", "b", "1", "pending", "[\"a\"]"},
                {"g", "c", "2", "pending", "[\"a\",\"b\",\"b\"]"},
                {"g", "d", "3", "pending", "[\"c\"]"},
                {"g", "e", "4", "ready", "[\"a\"]"},
                {"h", "a", "0", "pending", "[]"},
                {"h", "x", "1", "pending", "[\"a\"]"}};
            for (String[] t : tasks) {
                s.execute("INSERT INTO goal_tasks (goal_id, task_id, position, title, kind, status, read_set, "
                        + "write_set, depends_on, acceptance, evidence, created_at, updated_at) VALUES ('" + t[0]
                        + "', '" + t[1] + "', " + t[2] + ", 'old', 'task', '" + t[3] + "', '[]', '[]', '" + t[4]
                        + "', '[]', '[]', 1, 1)");
            }
        }
    }

    List<String> dependencyRows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = Raw.connect(location()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT goal_id, task_id, depends_on FROM goal_task_dependencies "
                        + "ORDER BY goal_id, task_id, depends_on")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + ":" + rs.getString(2) + "->" + rs.getString(3));
            }
        }
        return rows;
    }

    @Test
    void graphsStoredBeforeTheMigrationKeepTheirReadiness() throws SQLException {
        anOldStoreWithTaskGraphs();
        try (Cairn db = Cairn.open(location())) {
            assertThat(dependencyRows()).containsExactly("g:b->a", "g:c->a", "g:c->b", "g:d->c", "g:e->a",
                    "h:x->a");
            TaskStore tasks = db.goals().tasks();
            assertThat(tasks.readyTasks("g")).extracting(Task::id).containsExactly("b", "e");
            assertThat(tasks.readyTasks("h")).extracting(Task::id).containsExactly("a");
            assertThat(tasks.get("g", "c").dependsOn()).containsExactly("a", "b", "b"); // the list as it was given

            TaskClaim b = tasks.claimTask("g", "w", Duration.ofMinutes(1)).orElseThrow();
            assertThat(b.taskId()).isEqualTo("b");
            assertThat(tasks.claimTask("g", "c", "w", Duration.ofMinutes(1))).isEmpty();
            tasks.complete(b, null);
            assertThat(tasks.readyTasks("g")).extracting(Task::id).containsExactly("c", "e");
            assertThat(tasks.claimTask("g", "c", "w", Duration.ofMinutes(1))).map(TaskClaim::taskId).contains("c");
            assertThat(tasks.readyTasks("h")).extracting(Task::id).containsExactly("a");
        }
    }
}
