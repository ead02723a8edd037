package dev.cairn.runs.internal;

import dev.cairn.internal.Sql;
import dev.cairn.runs.Cost;
import dev.cairn.runs.RecordedCall;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of the {@code run_calls} table: the calls of a run's steps, keyed by (run, step position, call position), so
 * a call is recorded at most once however often its step's body runs.
 */
final class CallTable {
    private static final String COLUMNS = "run_id, step_seq, seq, kind, request_json, response_json, started_at, "
            + "duration_ms, cost_tokens, cost_cents";

    private CallTable() {}

    /** Records a call whose request was redacted and whose response is stored as returned. */
    static void insert(Connection c, RecordedCall call) throws SQLException {
        Sql.update(c, "INSERT INTO run_calls (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", call.runId(),
                call.stepPosition(), call.position(), call.kind(), LedgerJson.text(call.request()),
                LedgerJson.text(call.response()), call.startedAt(), call.duration().toMillis(),
                call.cost().map(Cost::tokens).orElse(null), call.cost().map(Cost::cents).orElse(null));
    }

    static List<RecordedCall> ofRun(Connection c, String runId) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM run_calls WHERE run_id = ? ORDER BY step_seq, seq",
                CallTable::map, runId);
    }

    static List<RecordedCall> ofStep(Connection c, String runId, int stepPosition) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM run_calls WHERE run_id = ? AND step_seq = ? ORDER BY seq",
                CallTable::map, runId, stepPosition);
    }

    /** Forgets the calls of a step that failed and runs again: its new attempt calls afresh. */
    static void deleteOfStep(Connection c, String runId, int stepPosition) throws SQLException {
        Sql.update(c, "DELETE FROM run_calls WHERE run_id = ? AND step_seq = ?", runId, stepPosition);
    }

    private static RecordedCall map(ResultSet row) throws SQLException {
        Long tokens = Sql.nullableLong(row, "cost_tokens");
        Long cents = Sql.nullableLong(row, "cost_cents");
        Optional<Cost> cost = tokens == null && cents == null ? Optional.empty()
                : Optional.of(new Cost(tokens == null ? 0 : tokens, cents == null ? 0 : cents));
        return new RecordedCall(row.getString("run_id"), row.getInt("step_seq"), row.getInt("seq"),
                row.getString("kind"), LedgerJson.parse(row.getString("request_json")),
                LedgerJson.parse(row.getString("response_json")), Instant.ofEpochMilli(row.getLong("started_at")),
                Duration.ofMillis(row.getLong("duration_ms")), cost);
    }
}
