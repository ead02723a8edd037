package dev.cairn.runs.internal;

import dev.cairn.internal.Sql;
import dev.cairn.runs.Step;
import dev.cairn.runs.StepStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The SQL of the {@code run_steps} table. */
final class StepTable {
    private static final String COLUMNS = "step_id, run_id, seq, name, started_at, finished_at, status, stats_json, "
            + "message, result_json, error_class, attempts";

    private StepTable() {}

    /** Inserts a running step as the run's next one and returns its position. */
    static int insert(Connection c, String stepId, String runId, String name, Instant startedAt)
            throws SQLException {
        // Positions are allocated inside the write, which holds the store's single writer or (with many writers) the
        // run's row lock: no two steps get one.
        int position = (int) Sql.longValue(c, "SELECT max(seq) FROM run_steps WHERE run_id = ?", 0, runId) + 1;
        Sql.update(c, "INSERT INTO run_steps (step_id, run_id, seq, name, started_at, status, stats_json) "
                + "VALUES (?, ?, ?, ?, ?, ?, '{}')", stepId, runId, position, name, startedAt, StepStatus.RUNNING);
        return position;
    }

    /**
     * Ends a running step with its result (JSON, or null for none) and the class of what it threw; false when it had
     * ended already (the run closed first, say).
     */
    static boolean end(Connection c, String stepId, StepStatus status, Instant at, String statsJson, String message,
            String resultJson, String errorClass) throws SQLException {
        return Sql.update(c, "UPDATE run_steps SET status = ?, finished_at = ?, stats_json = ?, message = ?, "
                + "result_json = ?, error_class = ? WHERE step_id = ? AND status = ?", status, at, statsJson, message,
                resultJson, errorClass, stepId, StepStatus.RUNNING) == 1;
    }

    /**
     * Runs a step that did not finish (in flight when its run's owner died, or failed) again at its position: running
     * from {@code at}, its earlier outcome cleared, one attempt more.
     */
    static void restart(Connection c, String stepId, Instant at) throws SQLException {
        Sql.update(c, "UPDATE run_steps SET status = ?, started_at = ?, finished_at = NULL, stats_json = '{}', "
                + "message = NULL, result_json = NULL, error_class = NULL, attempts = attempts + 1 WHERE step_id = ?",
                StepStatus.RUNNING, at, stepId);
    }

    /** A step from an archive, as it was recorded. */
    static void insertImported(Connection c, Step step) throws SQLException {
        Sql.update(c, "INSERT INTO run_steps (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                step.id(), step.runId(), step.position(), step.name(), step.startedAt(),
                step.finishedAt().orElse(null), step.status(), LedgerJson.text(step.stats()),
                step.message().orElse(null), step.result().map(LedgerJson::text).orElse(null),
                step.exceptionClass().orElse(null), step.attempts());
    }

    static List<Step> ofRun(Connection c, String runId) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM run_steps WHERE run_id = ? ORDER BY seq", StepTable::map,
                runId);
    }

    static List<Step> running(Connection c, String runId) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM run_steps WHERE run_id = ? AND status = ? ORDER BY seq",
                StepTable::map, runId, StepStatus.RUNNING);
    }

    private static Step map(ResultSet row) throws SQLException {
        return new Step(row.getString("step_id"), row.getString("run_id"), row.getInt("seq"), row.getString("name"),
                Instant.ofEpochMilli(row.getLong("started_at")),
                Optional.ofNullable(Sql.nullableInstant(row, "finished_at")), StepStatus.fromStored(row.getString("status")),
                LedgerJson.parse(row.getString("stats_json")), Optional.ofNullable(row.getString("message")),
                Optional.ofNullable(row.getString("result_json")).map(LedgerJson::parse),
                Optional.ofNullable(row.getString("error_class")), row.getInt("attempts"));
    }
}
