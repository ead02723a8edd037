package dev.cairn.events.internal;

import dev.cairn.events.orchestration.InteractionMode;
import dev.cairn.events.orchestration.RuntimeMode;
import dev.cairn.events.orchestration.ThreadEvent;
import dev.cairn.internal.Sql;
import dev.cairn.projections.Page;
import dev.cairn.projections.ThreadView;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of {@code projection_threads}. */
final class ThreadRows {
    private static final String COLUMNS = "thread_id, project_id, title, model, branch, worktree_path, runtime_mode, "
            + "interaction_mode, archived, latest_turn_id, message_count, turn_count, last_message_at, "
            + "created_sequence, created_at, updated_at";

    private ThreadRows() {}

    static void created(Connection c, ThreadEvent.Created e, long sequence, Instant at) throws SQLException {
        Sql.update(c, "INSERT INTO projection_threads (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, 0, 0, NULL, ?, ?, ?)",
                e.threadId(), e.projectId(), e.title(), e.model(), e.branch(), e.worktreePath(),
                RuntimeMode.APPROVAL_REQUIRED, InteractionMode.DEFAULT, sequence, at, at);
    }

    static void metaUpdated(Connection c, ThreadEvent.MetaUpdated e, Instant at) throws SQLException {
        Sql.update(c, "UPDATE projection_threads SET title = COALESCE(?, title), model = COALESCE(?, model), "
                + "branch = COALESCE(?, branch), worktree_path = COALESCE(?, worktree_path), updated_at = ? "
                + "WHERE thread_id = ?", e.title(), e.model(), e.branch(), e.worktreePath(), at, e.threadId());
    }

    /** Sets one of the thread's simple columns; {@code column} is one of this class's constants, never input. */
    private static void set(Connection c, String threadId, String column, Object value, Instant at)
            throws SQLException {
        Sql.update(c, "UPDATE projection_threads SET " + column + " = ?, updated_at = ? WHERE thread_id = ?", value,
                at, threadId);
    }

    static void archived(Connection c, String threadId, boolean archived, Instant at) throws SQLException {
        set(c, threadId, "archived", archived ? 1 : 0, at);
    }

    static void runtimeMode(Connection c, String threadId, RuntimeMode mode, Instant at) throws SQLException {
        set(c, threadId, "runtime_mode", mode, at);
    }

    static void interactionMode(Connection c, String threadId, InteractionMode mode, Instant at) throws SQLException {
        set(c, threadId, "interaction_mode", mode, at);
    }

    static void messageAdded(Connection c, String threadId, Instant at) throws SQLException {
        Sql.update(c, "UPDATE projection_threads SET message_count = message_count + 1, "
                + "last_message_at = CASE WHEN last_message_at IS NULL OR last_message_at < ? THEN ? "
                + "ELSE last_message_at END, updated_at = ? WHERE thread_id = ?", at, at, at, threadId);
    }

    /** Counts a new turn; returns its ordinal (1 for the first), or 0 when the thread is unknown. */
    static long turnAdded(Connection c, String threadId, String turnId, Instant at) throws SQLException {
        return Sql.one(c, "UPDATE projection_threads SET turn_count = turn_count + 1, latest_turn_id = ?, "
                + "updated_at = ? WHERE thread_id = ? RETURNING turn_count", row -> row.getLong(1), turnId, at,
                threadId).orElse(0L);
    }

    /** Recomputes the counts from the thread's remaining turns and messages (after a revert). */
    static void recount(Connection c, String threadId, Instant at) throws SQLException {
        Sql.update(c, "UPDATE projection_threads SET "
                + "message_count = (SELECT count(*) FROM projection_messages m WHERE m.thread_id = ?), "
                + "turn_count = (SELECT count(*) FROM projection_turns t WHERE t.thread_id = ?), "
                + "latest_turn_id = (SELECT t.turn_id FROM projection_turns t WHERE t.thread_id = ? "
                + "ORDER BY t.ordinal DESC LIMIT 1), "
                + "last_message_at = (SELECT max(m.created_at) FROM projection_messages m WHERE m.thread_id = ?), "
                + "updated_at = ? WHERE thread_id = ?", threadId, threadId, threadId, threadId, at, threadId);
    }

    static void delete(Connection c, String threadId) throws SQLException {
        Sql.update(c, "DELETE FROM projection_threads WHERE thread_id = ?", threadId);
    }

    static void clear(Connection c) throws SQLException {
        Sql.update(c, "DELETE FROM projection_threads");
    }

    static Optional<ThreadView> one(Connection c, String threadId) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM projection_threads WHERE thread_id = ?", ThreadRows::map,
                threadId);
    }

    /** Newest first; the cursor is the created sequence of the last thread of the previous page. */
    static Page<ThreadView> page(Connection c, String projectId, boolean includeArchived, int limit, Long cursor)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM projection_threads WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (projectId != null) {
            sql.append(" AND project_id = ?");
            args.add(projectId);
        }
        if (!includeArchived) {
            sql.append(" AND archived = 0");
        }
        if (cursor != null) {
            sql.append(" AND created_sequence < ?");
            args.add(cursor);
        }
        sql.append(" ORDER BY created_sequence DESC LIMIT ?");
        args.add(limit + 1);
        return PageOf.rows(Sql.list(c, sql.toString(), row -> new PageOf.Keyed<>(row.getLong(14), map(row)),
                args.toArray()), limit);
    }

    private static ThreadView map(ResultSet row) throws SQLException {
        return new ThreadView(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), row.getString(6), RuntimeMode.fromStored(row.getString(7)),
                InteractionMode.fromStored(row.getString(8)), row.getInt(9) != 0, row.getString(10), row.getLong(11),
                row.getLong(12), Sql.nullableInstant(row, "last_message_at"), Instant.ofEpochMilli(row.getLong(15)),
                Instant.ofEpochMilli(row.getLong(16)));
    }
}
