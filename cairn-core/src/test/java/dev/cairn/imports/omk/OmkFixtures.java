package dev.cairn.imports.omk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * The omk state directories of the tests: the sample and the broken variants of the omk format reference (copied into
 * src/test/resources/omk-state), assembled into temporary state directories, and an omk.db as omk writes it.
 */
final class OmkFixtures {
    static final String A = "goal-20260518-091204-417-3f9c2a71";
    static final String B = "goal-20260524-142233-058-b81e0d4c";

    private OmkFixtures() {}

    static Path resource(String path) {
        try {
            return Path.of(OmkFixtures.class.getResource("/omk-state/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of the sample state directory (goals A and B) at {@code target}. */
    static Path sample(Path target) {
        copy(resource("sample"), target);
        return target;
    }

    /** Goal A of the sample beside the broken variant's goal B: the variant's documented defect, and a good goal. */
    static Path broken(String variant, Path target) {
        copy(resource("broken/" + variant), target);
        copy(resource("sample/goals/" + A), target.resolve("goals").resolve(A));
        return target;
    }

    static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path destination = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                    destination.toFile().setWritable(true, true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An omk.db as omk 0.5 leaves it: the goals table (migration 1 as it stood when supervisors came) with goal B's
     * row naming its controller, and goal_slice_leases (migration 2) with goal B's second lease heartbeat later than
     * its claim, and a lease that only the database knows. Times are unix seconds, as omk writes them.
     */
    static void omkDb(Path stateDir) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve("omk.db"));
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE goals (goal_id TEXT PRIMARY KEY, status TEXT NOT NULL, phase TEXT NOT NULL, "
                    + "kind TEXT, original_goal TEXT, normalized_goal TEXT, goal_text TEXT NOT NULL, project_dir TEXT "
                    + "NOT NULL, state_dir TEXT, policy TEXT NOT NULL DEFAULT 'local', delivery_policy TEXT, "
                    + "merge_policy TEXT NOT NULL DEFAULT 'disabled', until_ready INTEGER NOT NULL DEFAULT 0, "
                    + "slice_execution INTEGER NOT NULL DEFAULT 0, max_agents INTEGER, budget_time_secs TEXT, "
                    + "budget_tokens INTEGER, budget_usd INTEGER, cost_tracker_path TEXT, terminal_criteria TEXT, "
                    + "failure TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, completed_at INTEGER, "
                    + "controller_pid INTEGER, version INTEGER NOT NULL DEFAULT 1)");
            s.execute("CREATE TABLE goal_slice_leases (lease_id TEXT PRIMARY KEY, goal_id TEXT NOT NULL, slice_id TEXT "
                    + "NOT NULL, owner_pid INTEGER NOT NULL, owner_role TEXT NOT NULL, claimed_at INTEGER NOT NULL, "
                    + "heartbeat_at INTEGER NOT NULL, released_at INTEGER, expired_at INTEGER, write_set TEXT NOT "
                    + "NULL, UNIQUE (goal_id, slice_id, released_at, expired_at))");
            // The mirror's quirks: draft-pr, budget_time as typed, cents truncated, state_dir as project_dir.
            s.execute("INSERT INTO goals (goal_id, status, phase, goal_text, project_dir, state_dir, delivery_policy, "
                    + "merge_policy, slice_execution, budget_time_secs, budget_tokens, budget_usd, created_at, "
                    + "updated_at, controller_pid) VALUES ('" + B + "', 'running', 'execution', 'Add token-bucket "
                    + "rate limiting', '/home/dana/.local/state/omk/goals/" + B + "', '/home/dana/.local/state/omk/"
                    + "goals/" + B + "', 'draft-pr', 'manual', 1, '6h', 1500000, 1250, 1779632553, 1779634455, 50377)");
            s.execute("INSERT INTO goals (goal_id, status, phase, goal_text, project_dir, created_at, updated_at) "
                    + "VALUES ('" + A + "', 'ready', 'proof', 'Fix the off-by-one', '/x', 1779095524, 1779096816)");
            s.execute("INSERT INTO goal_slice_leases VALUES ('" + B + "-goal-agent-implement-0-191aa41b-edde-4282-"
                    + "8c46-a63d4d9b30b6', '" + B + "', 'goal-agent-implement-0', 50377, 'executor', 1779634263, "
                    + "1779634455, NULL, NULL, '[\"src/add_tokenbucket_rate_limiting_to_the_http_api/\"]')");
            s.execute("INSERT INTO goal_slice_leases VALUES ('" + B + "-goal-agent-implement-1-0d6a0f4e-8c1e-4f0b-"
                    + "9d55-7e1b2c3d4e5f', '" + B + "', 'goal-agent-implement-1', 50377, 'executor', 1779634300, "
                    + "1779634310, 1779634320, NULL, '[\"src/structured_request_logging/\"]')");
            s.execute("INSERT INTO goals (goal_id, status, phase, goal_text, project_dir, created_at, updated_at) "
                    + "VALUES ('goal-20260101-000000-000-00000000', 'ready', 'proof', 'Only in the DB', '/x', 1, 2)");
        }
    }
}
