package dev.cairn.goals.internal;

import dev.cairn.goals.Decision;
import dev.cairn.goals.DecisionSpec;
import dev.cairn.goals.DecisionStore;
import dev.cairn.goals.GoalPhase;
import dev.cairn.internal.Session;
import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Decisions on a session, and the SQL of the {@code goal_decisions} table. */
final class SqlDecisionStore implements DecisionStore {
    private static final String COLUMNS = "decision_id, goal_id, actor, phase, kind, decision, rationale, "
            + "constraints, artifacts, created_at";

    private final Session session;
    private final GoalEvents events;

    SqlDecisionStore(Session session, GoalEvents events) {
        this.session = session;
        this.events = events;
    }

    @Override
    public Decision append(String goalId, DecisionSpec d) {
        return session.write(c -> {
            GoalTable.lock(c, session.dialect(), goalId);
            Decision decision = Sql.one(c, "INSERT INTO goal_decisions (goal_id, actor, phase, kind, decision, "
                    + "rationale, constraints, artifacts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "
                    + COLUMNS, SqlDecisionStore::map, goalId, d.actor(), d.phase(), d.kind(), d.decision(),
                    d.rationale(), JsonLists.write(d.constraints()), JsonLists.write(d.artifacts()),
                    session.clock().instant()).orElseThrow();
            events.decisionRecorded(decision);
            return decision;
        });
    }

    /** A decision of an imported goal, at the time it was taken; recorded by the import's own event. */
    static Decision insertImported(Connection c, String goalId, DecisionSpec d, Instant createdAt)
            throws SQLException {
        return Sql.one(c, "INSERT INTO goal_decisions (goal_id, actor, phase, kind, decision, rationale, constraints, "
                + "artifacts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS,
                SqlDecisionStore::map, goalId, d.actor(), d.phase(), d.kind(), d.decision(), d.rationale(),
                JsonLists.write(d.constraints()), JsonLists.write(d.artifacts()), createdAt).orElseThrow();
    }

    @Override
    public List<Decision> byGoal(String goalId) {
        return GoalRows.list(session, goalId, "SELECT " + COLUMNS + " FROM goal_decisions WHERE goal_id = ? ORDER BY "
                + "decision_id", SqlDecisionStore::map, goalId);
    }

    @Override
    public int deleteByGoal(String goalId) {
        return GoalRows.deleteAll(session, events, goalId, "goal_decisions", "decisions");
    }

    private static Decision map(ResultSet row) throws SQLException {
        String phase = row.getString("phase");
        return new Decision(row.getLong("decision_id"), row.getString("goal_id"), row.getString("actor"),
                phase == null ? null : GoalPhase.fromStored(phase), row.getString("kind"), row.getString("decision"),
                row.getString("rationale"), JsonLists.strings(row.getString("constraints")),
                JsonLists.strings(row.getString("artifacts")), Instant.ofEpochMilli(row.getLong("created_at")));
    }
}
