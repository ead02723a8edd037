package dev.cairn.bench;

import dev.cairn.Ids;
import dev.cairn.Cairn;
import dev.cairn.goals.GoalSpec;
import dev.cairn.goals.TaskClaim;
import dev.cairn.goals.TaskSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.sqlite.SQLiteConfig;

/**
 * One goal's life as a scheduler drives it: create the goal, start it, plan a 50-task graph (5 chains of 10), then
 * claim each ready task and mark it done, one write each: about 100 writes per goal. Cairn also validates the graph,
 * keeps each dependency as a row (so the database picks the ready task), enforces transitions, fences completions by
 * the claim's token and appends every change to the goal's event stream: each write of Cairn's adds an event row and
 * its two index entries to the task row the raw side writes. The raw side writes the same goal and task rows by hand
 * in the same tables, with the readiness check a hand-written scheduler would do (read the goal's tasks, check each
 * pending one's JSON dependency list), and no dependency rows and no events.
 */
@State(Scope.Benchmark)
public class GoalMixBenchmark {
    static final int CHAINS = 5;
    static final int CHAIN_LENGTH = 10;

    Cairn db;
    Connection raw;
    long goals;

    @Setup
    public void open() throws Exception {
        db = Workloads.openFresh("goals-cairn.db");
        Path rawFile = Workloads.fresh("goals-raw.db");
        Cairn.open(rawFile).close(); // the same tables, created by Cairn's migrations
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        raw = config.createConnection("jdbc:sqlite:" + rawFile);
        try (Statement statement = raw.createStatement()) {
            statement.execute("PRAGMA journal_mode = WAL");
            statement.execute("PRAGMA foreign_keys = ON");
            statement.execute("PRAGMA synchronous = NORMAL");
        }
    }

    private static String taskId(int chain, int step) {
        return "c" + chain + "-" + step;
    }

    @Benchmark
    public int cairn() {
        String goal = "g-" + goals++;
        db.goals().create(GoalSpec.of(goal, "Make webhook delivery retry with backoff", "/srv/payments-api"));
        db.goals().start(goal);
        List<TaskSpec> specs = new ArrayList<>();
        for (int chain = 0; chain < CHAINS; chain++) {
            for (int step = 0; step < CHAIN_LENGTH; step++) {
                TaskSpec spec = TaskSpec.of(goal, taskId(chain, step), "step " + step + " of chain " + chain);
                specs.add(step == 0 ? spec : spec.withDependsOn(taskId(chain, step - 1)));
            }
        }
        db.goals().tasks().createBatch(goal, specs);
        int done = 0;
        for (Optional<TaskClaim> claim; (claim = db.goals().tasks().claimTask(goal, "worker-1",
                Duration.ofMinutes(5))).isPresent(); done++) {
            db.goals().tasks().complete(claim.get(), List.of());
        }
        return done;
    }

    @Benchmark
    public int raw() throws SQLException {
        String goal = "g-" + goals++;
        long now = System.currentTimeMillis();
        inTransaction(() -> update("INSERT INTO goals (goal_id, original_text, normalized_text, kind, project_dir, "
                + "status, phase, delivery_policy, merge_policy, until_ready, slice_execution, max_agents, created_at, "
                + "updated_at, version) VALUES (?, ?, ?, 'feature', ?, 'not_ready', 'intake', 'local', 'disabled', 0, "
                + "0, 1, ?, ?, 1)", goal, "Make webhook delivery retry with backoff",
                "make webhook delivery retry with backoff", "/srv/payments-api", now, now));
        inTransaction(() -> update("UPDATE goals SET status = 'running', version = version + 1, updated_at = ? "
                + "WHERE goal_id = ?", now, goal));
        inTransaction(() -> {
            try (PreparedStatement insert = raw.prepareStatement("INSERT INTO goal_tasks (goal_id, task_id, position, "
                    + "title, kind, status, read_set, write_set, depends_on, acceptance, evidence, created_at, "
                    + "updated_at) VALUES (?, ?, ?, ?, 'task', 'pending', '[]', '[]', ?, '[]', '[]', ?, ?)")) {
                int position = 0;
                for (int chain = 0; chain < CHAINS; chain++) {
                    for (int step = 0; step < CHAIN_LENGTH; step++) {
                        bind(insert, goal, taskId(chain, step), position++, "step " + step + " of chain " + chain,
                                step == 0 ? "[]" : "[\"" + taskId(chain, step - 1) + "\"]", now, now);
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
        });
        int done = 0;
        while (true) {
            String[][] claimed = {null};
            inTransaction(() -> claimed[0] = claimReady(goal));
            if (claimed[0] == null) {
                return done;
            }
            // Fenced as Cairn fences it: done only while the claim's token is still the task's.
            inTransaction(() -> update("UPDATE goal_tasks SET status = 'done', claim_token = NULL, completed_at = ?, "
                    + "updated_at = ? WHERE goal_id = ? AND task_id = ? AND status = 'running' AND claim_token = ?",
                    now, now, goal, claimed[0][0], claimed[0][1]));
            done++;
        }
    }

    /**
     * The first pending task whose dependencies are all done, marked running under a new claim token; its id and the
     * token, or null when none is ready.
     */
    private String[] claimReady(String goal) throws SQLException {
        Set<String> doneTasks = new HashSet<>();
        List<String[]> pending = new ArrayList<>();
        try (PreparedStatement query = raw.prepareStatement(
                "SELECT task_id, status, depends_on FROM goal_tasks WHERE goal_id = ? ORDER BY position")) {
            query.setString(1, goal);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (rows.getString(2).equals("done")) {
                        doneTasks.add(rows.getString(1));
                    } else if (rows.getString(2).equals("pending")) {
                        pending.add(new String[] {rows.getString(1), rows.getString(3)});
                    }
                }
            }
        }
        for (String[] task : pending) {
            String dependency = task[1].equals("[]") ? null : task[1].substring(2, task[1].length() - 2);
            if (dependency == null || doneTasks.contains(dependency)) {
                long now = System.currentTimeMillis();
                String token = Ids.next().toString();
                update("UPDATE goal_tasks SET status = 'running', owner = ?, claim_token = ?, lease_expires_at = ?, "
                        + "heartbeat_at = ?, updated_at = ? WHERE goal_id = ? AND task_id = ? AND status = 'pending'",
                        "worker-1", token, now + 300_000, now, now, goal, task[0]);
                return new String[] {task[0], token};
            }
        }
        return null;
    }

    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    private void inTransaction(Work work) throws SQLException {
        try (Statement statement = raw.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try {
                work.run();
                statement.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                statement.execute("ROLLBACK");
                throw e;
            }
        }
    }

    private void update(String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = raw.prepareStatement(sql)) {
            bind(statement, args);
            statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
    }

    @TearDown
    public void close(BenchmarkParams params) throws Exception {
        Workloads.recordPeakHeap(params.getBenchmark());
        db.close();
        raw.close();
    }
}
