package dev.cairn.runs.internal;

import dev.cairn.Owner;
import dev.cairn.internal.Dialect;
import dev.cairn.internal.Sql;
import dev.cairn.runs.Run;
import dev.cairn.runs.RunStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The SQL of the {@code runs} table. */
final class RunTable {
    /** A run with the step counts its status is derived from. */
    private static final String SELECT = "SELECT r.run_id, r.created_at, r.finished_at, r.args_json, r.config_json, "
            + "r.config_hash, r.git_sha, r.owner_id, r.owner_host, r.owner_pid, r.heartbeat_at, r.run_key, r.goal_id, "
            + "(SELECT count(*) FROM run_steps s WHERE s.run_id = r.run_id) AS step_count, "
            + "(SELECT count(*) FROM run_steps s WHERE s.run_id = r.run_id AND s.status = 'failed') AS failed_steps, "
            + "(SELECT count(*) FROM run_steps s WHERE s.run_id = r.run_id AND s.status = 'running') AS running_steps "
            + "FROM runs r ";
    /** Finished runs old enough to prune; the placeholder is the cutoff. */
    private static final String PRUNABLE = "finished_at IS NOT NULL AND finished_at < ?";

    private RunTable() {}

    /** A new run, held by {@code owner} under {@code token} (see {@link #heartbeat}), with its first heartbeat. */
    static void insert(Connection c, String id, Instant createdAt, String argsJson, String configJson,
            String configHash, String gitSha, Owner owner, String token, Instant heartbeatAt, String key,
            String goalId) throws SQLException {
        Sql.update(c, "INSERT INTO runs (run_id, created_at, args_json, config_json, config_hash, git_sha, owner_id, "
                + "owner_host, owner_pid, claim_token, heartbeat_at, run_key, goal_id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", id, createdAt, argsJson, configJson, configHash,
                gitSha, owner.id(), owner.host(), owner.pid(), token, heartbeatAt, key, goalId);
    }

    /** A run from an archive, as it was recorded, held by no claim: any process may resume it. */
    static void insertImported(Connection c, Run run) throws SQLException {
        Owner owner = run.owner().orElse(null);
        Sql.update(c, "INSERT INTO runs (run_id, created_at, finished_at, args_json, config_json, config_hash, "
                + "git_sha, owner_id, owner_host, owner_pid, heartbeat_at, run_key, goal_id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", run.id(), run.createdAt(),
                run.finishedAt().orElse(null), LedgerJson.text(run.args()), LedgerJson.text(run.config()),
                run.configHash(), run.gitSha().orElse(null), owner == null ? null : owner.id(),
                owner == null ? null : owner.host(), owner == null ? null : owner.pid(),
                run.heartbeatAt().orElse(null), run.key().orElse(null), run.goalId().orElse(null));
    }

    /** The id of the run recorded under {@code key}. */
    static Optional<String> idByKey(Connection c, String key) throws SQLException {
        return Sql.one(c, "SELECT run_id FROM runs WHERE run_key = ?", row -> row.getString(1), key);
    }

    /**
     * The run's fence and heartbeat in one conditional update: records that the scope holding {@code token} is alive
     * if it still holds the unfinished run. False (nothing written) when another scope resumed it since, or the run
     * finished or is gone.
     */
    static boolean heartbeat(Connection c, String id, String token, Instant at) throws SQLException {
        return Sql.update(c, "UPDATE runs SET heartbeat_at = ? WHERE run_id = ? AND claim_token = ? AND "
                + "finished_at IS NULL", at, id, token) == 1;
    }

    /** Hands the run to {@code owner} under a new {@code token}, which voids the token of the scope before. */
    static void takeOver(Connection c, String id, Owner owner, String token, Instant heartbeatAt)
            throws SQLException {
        Sql.update(c, "UPDATE runs SET owner_id = ?, owner_host = ?, owner_pid = ?, claim_token = ?, heartbeat_at = ? "
                + "WHERE run_id = ?", owner.id(), owner.host(), owner.pid(), token, heartbeatAt, id);
    }

    /** Sets the finish time of an unfinished run; false when it was finished already. */
    static boolean finish(Connection c, String id, Instant at) throws SQLException {
        return Sql.update(c, "UPDATE runs SET finished_at = ? WHERE run_id = ? AND finished_at IS NULL", at, id) == 1;
    }

    /**
     * Locks the run's row until the write ends, so that steps of one run begin (and the run finishes) one at a time
     * also where writers run in parallel; a no-op beyond a read on a single-writer database.
     */
    static void lock(Connection c, String id, Dialect dialect) throws SQLException {
        Sql.one(c, "SELECT run_id FROM runs WHERE run_id = ?" + dialect.forUpdate(), row -> row.getString(1), id);
    }

    static Optional<Run> find(Connection c, String id) throws SQLException {
        return Sql.one(c, SELECT + "WHERE r.run_id = ?", RunTable::map, id);
    }

    static List<Run> recent(Connection c, int limit) throws SQLException {
        return Sql.list(c, SELECT + "ORDER BY r.created_at DESC, r.run_id DESC LIMIT ?", RunTable::map, limit);
    }

    /** The newest runs of one status; the status is derived as {@link #map} derives it. */
    static List<Run> recent(Connection c, int limit, RunStatus status) throws SQLException {
        String running = "EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.run_id AND s.status = 'running')";
        String failed = "EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.run_id AND s.status = 'failed')";
        String where = switch (status) {
            case RUNNING -> "r.finished_at IS NULL OR " + running;
            case FAILED -> "r.finished_at IS NOT NULL AND NOT " + running + " AND " + failed;
            case SUCCESS -> "r.finished_at IS NOT NULL AND NOT " + running + " AND NOT " + failed;
        };
        return Sql.list(c, SELECT + "WHERE " + where + " ORDER BY r.created_at DESC, r.run_id DESC LIMIT ?",
                RunTable::map, limit);
    }

    static long countPrunable(Connection c, Instant cutoff) throws SQLException {
        return Sql.longValue(c, "SELECT count(*) FROM runs WHERE " + PRUNABLE, 0, cutoff);
    }

    static long countPrunableSteps(Connection c, Instant cutoff) throws SQLException {
        return Sql.longValue(c, "SELECT count(*) FROM run_steps WHERE run_id IN (SELECT run_id FROM runs WHERE "
                + PRUNABLE + ")", 0, cutoff);
    }

    /** Deletes the runs; their steps go with them (ON DELETE CASCADE), their audit entries lose the link. */
    static long deletePrunable(Connection c, Instant cutoff) throws SQLException {
        return Sql.update(c, "DELETE FROM runs WHERE " + PRUNABLE, cutoff);
    }

    private static Run map(ResultSet row) throws SQLException {
        String ownerId = row.getString("owner_id");
        Owner owner = ownerId == null ? null : new Owner(ownerId, row.getString("owner_host"),
                row.getLong("owner_pid"));
        Optional<Instant> finishedAt = Optional.ofNullable(Sql.nullableInstant(row, "finished_at"));
        RunStatus status;
        if (finishedAt.isEmpty() || row.getLong("running_steps") > 0) {
            status = RunStatus.RUNNING;
        } else if (row.getLong("failed_steps") > 0) {
            status = RunStatus.FAILED;
        } else {
            status = RunStatus.SUCCESS;
        }
        return new Run(row.getString("run_id"), Instant.ofEpochMilli(row.getLong("created_at")), finishedAt,
                LedgerJson.parse(row.getString("args_json")), LedgerJson.parse(row.getString("config_json")),
                row.getString("config_hash"), Optional.ofNullable(row.getString("git_sha")), status,
                row.getInt("step_count"), Optional.ofNullable(owner), Optional.ofNullable(Sql.nullableInstant(row,
                        "heartbeat_at")), Optional.ofNullable(row.getString("run_key")),
                Optional.ofNullable(row.getString("goal_id")));
    }
}
