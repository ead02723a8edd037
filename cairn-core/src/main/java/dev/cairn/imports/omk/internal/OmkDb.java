package dev.cairn.imports.omk.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * What omk's own SQLite file ({@code <state>/omk.db}, from omk 0.5 on) holds that its JSON files do not: which
 * process controlled each goal ({@code goals.controller_pid}, its heartbeat being {@code updated_at}) and the slice
 * leases ({@code goal_slice_leases}). omk never switched its other tables on, so they are not read. The file is
 * opened read-only and only read; times there are unix seconds. Columns are found by name, so the builds whose
 * {@code goals} table has fewer columns read alike.
 */
final class OmkDb {
    /** A goal row: its status there (omk trusts goal.json over it) and its controller. */
    record GoalRow(String goalId, String status, Long controllerPid, Instant heartbeatAt) {}

    /** A lease row, times in unix seconds as omk wrote them. */
    record LeaseRow(String leaseId, String goalId, String sliceId, long ownerPid, String ownerRole,
            Instant claimedAt, Instant heartbeatAt, Instant releasedAt, Instant expiredAt, String writeSet) {}

    final Map<String, GoalRow> goals;
    final Map<String, List<LeaseRow>> leases;

    private OmkDb(Map<String, GoalRow> goals, Map<String, List<LeaseRow>> leases) {
        this.goals = goals;
        this.leases = leases;
    }

    static final OmkDb NONE = new OmkDb(Map.of(), Map.of());

    /** The file's rows, or {@link #NONE} when there is no file; a file that cannot be read is an SQLException. */
    static OmkDb read(Path file) throws SQLException {
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.READONLY);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            Set<String> tables = new HashSet<>();
            try (Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            Map<String, GoalRow> goals = new LinkedHashMap<>();
            if (tables.contains("goals")) {
                try (Statement s = c.createStatement();
                        ResultSet rows = s.executeQuery("SELECT * FROM goals ORDER BY goal_id")) {
                    Set<String> columns = columns(rows);
                    while (rows.next()) {
                        String id = rows.getString("goal_id");
                        goals.put(id, new GoalRow(id, columns.contains("status") ? rows.getString("status") : null,
                                columns.contains("controller_pid") ? nullableLong(rows, "controller_pid") : null,
                                columns.contains("updated_at") ? seconds(rows, "updated_at") : null));
                    }
                }
            }
            Map<String, List<LeaseRow>> leases = new HashMap<>();
            if (tables.contains("goal_slice_leases")) {
                try (Statement s = c.createStatement();
                        ResultSet rows = s.executeQuery("SELECT lease_id, goal_id, slice_id, owner_pid, owner_role, "
                                + "claimed_at, heartbeat_at, released_at, expired_at, write_set FROM "
                                + "goal_slice_leases ORDER BY claimed_at, lease_id")) {
                    while (rows.next()) {
                        LeaseRow lease = new LeaseRow(rows.getString("lease_id"), rows.getString("goal_id"),
                                rows.getString("slice_id"), rows.getLong("owner_pid"), rows.getString("owner_role"),
                                seconds(rows, "claimed_at"), seconds(rows, "heartbeat_at"),
                                seconds(rows, "released_at"), seconds(rows, "expired_at"), rows.getString("write_set"));
                        leases.computeIfAbsent(lease.goalId(), g -> new ArrayList<>()).add(lease);
                    }
                }
            }
            return new OmkDb(goals, leases);
        }
    }

    private static Set<String> columns(ResultSet rows) throws SQLException {
        Set<String> names = new HashSet<>();
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
            names.add(rows.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }

    private static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    private static Instant seconds(ResultSet row, String column) throws SQLException {
        Long value = nullableLong(row, column);
        return value == null ? null : Instant.ofEpochSecond(value);
    }
}
