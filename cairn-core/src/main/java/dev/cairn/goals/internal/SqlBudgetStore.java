package dev.cairn.goals.internal;

import dev.cairn.goals.Budget;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.BudgetStore;
import dev.cairn.goals.BudgetUse;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.Money;
import dev.cairn.internal.Session;
import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Budget checkpoints on a session, and the SQL of the {@code goal_budget_checkpoints} table. */
final class SqlBudgetStore implements BudgetStore {
    private static final String COLUMNS = "checkpoint_id, goal_id, label, status, phase, budget_time_seconds, "
            + "budget_tokens, budget_cents, elapsed_seconds, tokens_used, spent_cents, recorded_at";

    private final Session session;
    private final GoalEvents events;
    private final SqlGoalStore goals;

    SqlBudgetStore(Session session, GoalEvents events, SqlGoalStore goals) {
        this.session = session;
        this.events = events;
        this.goals = goals;
    }

    @Override
    public BudgetCheckpoint append(String goalId, BudgetUse use, boolean moveGoalWhenExhausted) {
        return session.write(c -> {
            Goal goal = GoalTable.lock(c, session.dialect(), goalId);
            Budget b = goal.budget();
            BudgetCheckpoint checkpoint = Sql.one(c, "INSERT INTO goal_budget_checkpoints (goal_id, label, status, "
                    + "phase, budget_time_seconds, budget_tokens, budget_cents, elapsed_seconds, tokens_used, "
                    + "spent_cents, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS,
                    SqlBudgetStore::map, goalId, use.label(), goal.status(), goal.phase(), b.timeSeconds(),
                    b.tokens(), GoalTable.cents(b.money()), use.elapsedSeconds(), use.tokensUsed(),
                    use.spent().cents(), session.clock().instant()).orElseThrow();
            events.budgetRecorded(checkpoint);
            if (moveGoalWhenExhausted && checkpoint.exhausted()
                    && goal.status().canMoveTo(GoalStatus.NEEDS_MORE_BUDGET)) {
                goals.move(c, goal, GoalStatus.NEEDS_MORE_BUDGET, "budget-exhausted", null);
            }
            return checkpoint;
        });
    }

    /**
     * A checkpoint of an imported goal, against the budget it recorded then and at the time it recorded it; recorded
     * by the import's own event, not by {@code goal.budget-checkpoint}.
     */
    static BudgetCheckpoint insertImported(Connection c, String goalId, String label, GoalStatus status,
            GoalPhase phase, Budget budget, BudgetUse use, Instant recordedAt) throws SQLException {
        return Sql.one(c, "INSERT INTO goal_budget_checkpoints (goal_id, label, status, phase, budget_time_seconds, "
                + "budget_tokens, budget_cents, elapsed_seconds, tokens_used, spent_cents, recorded_at) VALUES (?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS, SqlBudgetStore::map, goalId, label, status, phase,
                budget.timeSeconds(), budget.tokens(), GoalTable.cents(budget.money()), use.elapsedSeconds(),
                use.tokensUsed(), use.spent().cents(), recordedAt).orElseThrow();
    }

    @Override
    public List<BudgetCheckpoint> byGoal(String goalId) {
        return GoalRows.list(session, goalId, "SELECT " + COLUMNS + " FROM goal_budget_checkpoints WHERE goal_id = ? "
                + "ORDER BY checkpoint_id", SqlBudgetStore::map, goalId);
    }

    @Override
    public Optional<BudgetCheckpoint> latest(String goalId) {
        return session.read(c -> {
            GoalTable.require(c, goalId);
            return Optional.ofNullable(latestByGoal(c, List.of(goalId)).get(goalId));
        });
    }

    /** The latest checkpoint of each of these goals that has one. */
    static Map<String, BudgetCheckpoint> latestByGoal(Connection c, List<String> goalIds) throws SQLException {
        Map<String, BudgetCheckpoint> latest = new HashMap<>();
        if (goalIds.isEmpty()) {
            return latest;
        }
        String marks = String.join(", ", Collections.nCopies(goalIds.size(), "?"));
        Sql.list(c, "SELECT " + COLUMNS + " FROM goal_budget_checkpoints WHERE checkpoint_id IN (SELECT "
                + "max(checkpoint_id) FROM goal_budget_checkpoints WHERE goal_id IN (" + marks + ") GROUP BY goal_id)",
                SqlBudgetStore::map, goalIds.toArray()).forEach(cp -> latest.put(cp.goalId(), cp));
        return latest;
    }

    @Override
    public int deleteByGoal(String goalId) {
        return GoalRows.deleteAll(session, events, goalId, "goal_budget_checkpoints", "budget-checkpoints");
    }

    private static BudgetCheckpoint map(ResultSet row) throws SQLException {
        return new BudgetCheckpoint(row.getLong("checkpoint_id"), row.getString("goal_id"), row.getString("label"),
                GoalStatus.fromStored(row.getString("status")), GoalPhase.fromStored(row.getString("phase")), GoalTable.budget(row),
                row.getLong("elapsed_seconds"), row.getLong("tokens_used"), Money.ofCents(row.getLong("spent_cents")),
                Instant.ofEpochMilli(row.getLong("recorded_at")));
    }
}
