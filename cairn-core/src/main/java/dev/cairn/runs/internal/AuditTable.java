package dev.cairn.runs.internal;

import dev.cairn.internal.Sql;
import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.AuditQuery;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The SQL of the {@code audit_log} table. */
final class AuditTable {
    private static final String COLUMNS = "id, ts, level, run_id, scope, event, message, data_json";

    private AuditTable() {}

    /** Inserts an entry (already redacted) and returns it as stored. */
    static AuditEntry insert(Connection c, Instant at, AuditLevel level, String runId, String scope, String event,
            String message, String dataJson) throws SQLException {
        long id = Sql.one(c, "INSERT INTO audit_log (ts, level, run_id, scope, event, message, data_json) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", row -> row.getLong(1),
                at, level, runId, scope, event, message, dataJson).orElseThrow();
        return new AuditEntry(id, at, level, Optional.ofNullable(runId), scope, event, message,
                LedgerJson.parse(dataJson));
    }

    static List<AuditEntry> query(Connection c, AuditQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE level IN (");
        List<Object> args = new ArrayList<>();
        for (AuditLevel level : AuditLevel.values()) {
            if (level.compareTo(query.atLeast()) >= 0) {
                sql.append(args.isEmpty() ? "?" : ", ?");
                args.add(level);
            }
        }
        sql.append(')');
        if (query.runId().isPresent()) {
            sql.append(" AND run_id = ?");
            args.add(query.runId().get());
        }
        if (query.event().isPresent()) {
            String event = query.event().get();
            if (event.endsWith("*")) {
                sql.append(" AND event LIKE ? ESCAPE '\\'");
                args.add(event.substring(0, event.length() - 1).replace("\\", "\\\\").replace("%", "\\%")
                        .replace("_", "\\_") + "%");
            } else {
                sql.append(" AND event = ?");
                args.add(event);
            }
        }
        if (query.since().isPresent()) {
            sql.append(" AND ts >= ?");
            args.add(query.since().get());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(query.limit());
        List<AuditEntry> newestFirst = Sql.list(c, sql.toString(), AuditTable::map, args.toArray());
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    static long countBefore(Connection c, Instant cutoff) throws SQLException {
        return Sql.longValue(c, "SELECT count(*) FROM audit_log WHERE ts < ?", 0, cutoff);
    }

    static long deleteBefore(Connection c, Instant cutoff) throws SQLException {
        return Sql.update(c, "DELETE FROM audit_log WHERE ts < ?", cutoff);
    }

    private static AuditEntry map(ResultSet row) throws SQLException {
        return new AuditEntry(row.getLong("id"), Instant.ofEpochMilli(row.getLong("ts")),
                AuditLevel.fromStored(row.getString("level")), Optional.ofNullable(row.getString("run_id")),
                row.getString("scope"), row.getString("event"), row.getString("message"),
                LedgerJson.parse(row.getString("data_json")));
    }
}
