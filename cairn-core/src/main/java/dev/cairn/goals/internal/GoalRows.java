package dev.cairn.goals.internal;

import dev.cairn.internal.Session;
import dev.cairn.internal.Sql;
import java.util.List;

/**
 * The two moves every kind of row a goal owns makes alike: reading the goal's rows (a missing goal is not found, not
 * an empty list) and deleting them all with one event. Each store still states its own SQL.
 */
final class GoalRows {
    private GoalRows() {}

    static <T> List<T> list(Session session, String goalId, String sql, Sql.RowMapper<T> mapper, Object... args) {
        return session.read(c -> {
            GoalTable.require(c, goalId);
            return Sql.list(c, sql, mapper, args);
        });
    }

    /** {@code what} names the rows in the event type: {@code goal.<what>-deleted}. */
    static int deleteAll(Session session, GoalEvents events, String goalId, String table, String what) {
        return session.write(c -> {
            GoalTable.lock(c, session.dialect(), goalId);
            int count = Sql.update(c, "DELETE FROM " + table + " WHERE goal_id = ?", goalId);
            events.recordsDeleted(goalId, what, count);
            return count;
        });
    }
}
