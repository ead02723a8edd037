package dev.cairn.goals.internal;

import dev.cairn.ConflictException;
import dev.cairn.NotFoundException;
import dev.cairn.Owner;
import dev.cairn.goals.Budget;
import dev.cairn.goals.DeliveryPolicy;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalFilter;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.MergePolicy;
import dev.cairn.goals.Money;
import dev.cairn.internal.Dialect;
import dev.cairn.internal.Sql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The SQL of the {@code goals} table. */
final class GoalTable {
    private static final String COLUMNS = "goal_id, original_text, normalized_text, kind, project_dir, status, phase, "
            + "delivery_policy, merge_policy, until_ready, slice_execution, max_agents, budget_time_seconds, "
            + "budget_tokens, budget_cents, terminal_criteria, failure, controller_id, controller_host, "
            + "controller_pid, heartbeat_at, created_at, updated_at, completed_at, version";

    private GoalTable() {}

    static void insert(Connection c, Goal g) throws SQLException {
        Budget b = g.budget();
        Owner o = g.controller();
        Sql.update(c, "INSERT INTO goals (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?)",
                g.id(), g.originalText(), g.normalizedText(), g.kind(), g.projectDir(), g.status(), g.phase(),
                g.deliveryPolicy(), g.mergePolicy(), g.untilReady(), g.sliceExecution(), g.maxAgents(),
                b.timeSeconds(), b.tokens(), cents(b.money()), g.terminalCriteria(), g.failure(),
                o == null ? null : o.id(), o == null ? null : o.host(), o == null ? null : o.pid(), g.heartbeatAt(),
                g.createdAt(), g.updatedAt(), g.completedAt(), g.version());
    }

    static boolean exists(Connection c, String goalId) throws SQLException {
        return Sql.longValue(c, "SELECT count(*) FROM goals WHERE goal_id = ?", 0, goalId) > 0;
    }

    static Optional<Goal> find(Connection c, String goalId) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM goals WHERE goal_id = ?", GoalTable::map, goalId);
    }

    static Goal require(Connection c, String goalId) throws SQLException {
        return find(c, goalId).orElseThrow(() -> notFound(goalId));
    }

    /**
     * Reads a goal for a write that decides from what it reads (claims, graph checks, transitions), holding its row
     * until the write ends. On SQLite the write lock already excludes every other writer; on PostgreSQL (read
     * committed) this row lock is what makes two such writes on one goal, in any process, take turns, and it returns
     * the row as the write before it committed it.
     */
    static Goal lock(Connection c, Dialect dialect, String goalId) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM goals WHERE goal_id = ?" + dialect.forUpdate(), GoalTable::map,
                goalId).orElseThrow(() -> notFound(goalId));
    }

    /** {@link #lock} for a write that needs only the goal's status, or only that the goal exists. */
    static GoalStatus lockStatus(Connection c, Dialect dialect, String goalId) throws SQLException {
        return Sql.one(c, "SELECT status FROM goals WHERE goal_id = ?" + dialect.forUpdate(),
                row -> GoalStatus.fromStored(row.getString(1)), goalId).orElseThrow(() -> notFound(goalId));
    }

    static NotFoundException notFound(String goalId) {
        return new NotFoundException("goal " + goalId + " does not exist; list goals with 'cairn goals'");
    }

    /**
     * Writes a goal's new state (status, phase, failure, times) if it is still at the version it was read at; every
     * writer of goal state goes through here or {@link #updateController}, so the version check cannot be forgotten.
     */
    static Goal updateState(Connection c, Goal read, Goal next) throws SQLException {
        int rows = Sql.update(c, "UPDATE goals SET status = ?, phase = ?, failure = ?, updated_at = ?, "
                + "completed_at = ?, version = ? WHERE goal_id = ? AND version = ?",
                next.status(), next.phase(), next.failure(), next.updatedAt(), next.completedAt(), read.version() + 1,
                read.id(), read.version());
        return changed(c, read, rows);
    }

    /**
     * Hands the goal's control to {@code owner} under a new fencing {@code token} (both null: to nobody), with its
     * first heartbeat, if the goal is still at the version it was read at. The token is what a controller's
     * heartbeat must present (see {@link #heartbeat}), so replacing it voids the previous controller's claim.
     */
    static Goal updateController(Connection c, Goal read, Owner owner, String token, Instant heartbeatAt,
            Instant updatedAt) throws SQLException {
        int rows = Sql.update(c, "UPDATE goals SET controller_id = ?, controller_host = ?, controller_pid = ?, "
                + "controller_token = ?, heartbeat_at = ?, updated_at = ?, version = ? WHERE goal_id = ? AND "
                + "version = ?", owner == null ? null : owner.id(), owner == null ? null : owner.host(),
                owner == null ? null : owner.pid(), token, heartbeatAt, updatedAt, read.version() + 1, read.id(),
                read.version());
        return changed(c, read, rows);
    }

    private static Goal changed(Connection c, Goal read, int rows) throws SQLException {
        if (rows == 0) {
            throw new ConflictException("goal " + read.id() + " changed since version " + read.version()
                    + " was read; re-read it and decide again");
        }
        return require(c, read.id());
    }

    /**
     * Records a heartbeat of the controller holding {@code token}, if it still holds the goal: one conditional
     * update, so a controller replaced meanwhile (in any process) is refused, not revived. Liveness, not state: the
     * version stays.
     */
    static boolean heartbeat(Connection c, String goalId, String token, Instant at) throws SQLException {
        return Sql.update(c, "UPDATE goals SET heartbeat_at = ? WHERE goal_id = ? AND controller_token = ?", at,
                goalId, token) == 1;
    }

    /**
     * Whether {@code token} is still the fencing token of the goal's controller, locking the goal's row as
     * {@link #lock} does: the fence of a controller's writes, checked in the write's own transaction. The row stays
     * locked until that write ends, so a takeover (which locks it too) commits before the check or after the write,
     * never between them.
     */
    static boolean lockControlledBy(Connection c, Dialect dialect, String goalId, String token) throws SQLException {
        return Sql.one(c, "SELECT CASE WHEN controller_token = ? THEN 1 ELSE 0 END FROM goals WHERE goal_id = ?"
                + dialect.forUpdate(), row -> row.getInt(1) == 1, token, goalId).orElseThrow(() -> notFound(goalId));
    }

    /** The fencing token of the goal's controller; null when nobody controls it (or the goal does not exist). */
    static String controllerToken(Connection c, String goalId) throws SQLException {
        return Sql.one(c, "SELECT controller_token FROM goals WHERE goal_id = ?",
                row -> row.getString("controller_token"), goalId).orElse(null);
    }

    static boolean delete(Connection c, String goalId) throws SQLException {
        return Sql.update(c, "DELETE FROM goals WHERE goal_id = ?", goalId) > 0;
    }

    static List<Goal> byStatus(Connection c, GoalStatus status) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM goals WHERE status = ? ORDER BY created_at, goal_id",
                GoalTable::map, status);
    }

    /** One page of goals newest first; the conditions are assembled, but every value is still bound. */
    static List<Goal> list(Connection c, GoalFilter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM goals WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            args.add(filter.status());
        }
        if (filter.phase() != null) {
            sql.append(" AND phase = ?");
            args.add(filter.phase());
        }
        if (filter.kind() != null) {
            sql.append(" AND kind = ?");
            args.add(filter.kind());
        }
        if (filter.olderThan() != null) {
            sql.append(" AND created_at < ?");
            args.add(filter.olderThan());
        }
        if (filter.text() != null && !filter.text().isBlank()) {
            String pattern = "%" + filter.text().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%";
            sql.append(" AND (lower(original_text) LIKE ? ESCAPE '\\' OR lower(normalized_text) LIKE ? ESCAPE '\\')");
            args.add(pattern);
            args.add(pattern);
        }
        if (filter.cursor() != null) {
            Cursor after = Cursor.parse(filter.cursor());
            sql.append(" AND (created_at < ? OR (created_at = ? AND goal_id < ?))");
            args.add(after.createdAt());
            args.add(after.createdAt());
            args.add(after.goalId());
        }
        sql.append(" ORDER BY created_at DESC, goal_id DESC LIMIT ?");
        args.add(filter.limit());
        return Sql.list(c, sql.toString(), GoalTable::map, args.toArray());
    }

    /** Where a page of goals ends: the newest-first order is (created_at, goal_id) descending. */
    record Cursor(long createdAt, String goalId) {
        static String of(Goal goal) {
            String raw = goal.createdAt().toEpochMilli() + ":" + goal.id();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String cursor) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                return new Cursor(Long.parseLong(raw.substring(0, colon)), raw.substring(colon + 1));
            } catch (RuntimeException e) {
                throw new dev.cairn.InvalidInputException("'" + cursor + "' is not a goal list cursor; pass the "
                        + "cursor of a goal summary from the previous page");
            }
        }
    }

    /** A budget kept in the columns budget_time_seconds, budget_tokens and budget_cents (goals and checkpoints). */
    static Budget budget(ResultSet row) throws SQLException {
        Long cents = Sql.nullableLong(row, "budget_cents");
        return new Budget(Sql.nullableLong(row, "budget_time_seconds"), Sql.nullableLong(row, "budget_tokens"),
                cents == null ? null : Money.ofCents(cents));
    }

    /** The owner kept in three columns (id, host, pid), or null when the id is. */
    static Owner owner(ResultSet row, String id, String host, String pid) throws SQLException {
        String ownerId = row.getString(id);
        return ownerId == null ? null : new Owner(ownerId, row.getString(host), row.getLong(pid));
    }

    static Long cents(Money money) {
        return money == null ? null : money.cents();
    }

    private static Goal map(ResultSet row) throws SQLException {
        Budget budget = budget(row);
        return new Goal(row.getString("goal_id"), row.getString("original_text"), row.getString("normalized_text"),
                row.getString("kind"), row.getString("project_dir"), GoalStatus.fromStored(row.getString("status")),
                GoalPhase.fromStored(row.getString("phase")), DeliveryPolicy.fromStored(row.getString("delivery_policy")),
                MergePolicy.fromStored(row.getString("merge_policy")), row.getBoolean("until_ready"),
                row.getBoolean("slice_execution"), row.getInt("max_agents"), budget,
                row.getString("terminal_criteria"), row.getString("failure"), owner(row, "controller_id",
                        "controller_host", "controller_pid"), Sql.nullableInstant(row, "heartbeat_at"),
                Instant.ofEpochMilli(row.getLong("created_at")),
                Instant.ofEpochMilli(row.getLong("updated_at")), Sql.nullableInstant(row, "completed_at"),
                row.getLong("version"));
    }
}
