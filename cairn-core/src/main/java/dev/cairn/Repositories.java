package dev.cairn;

import dev.cairn.goals.GoalStore;
import dev.cairn.goals.internal.SqlGoalStore;
import dev.cairn.internal.Session;

/**
 * The repositories of Cairn, reachable in the same way from the store and from a transaction: on a {@link Cairn} each
 * operation commits on its own; on a {@link Transaction} every operation takes part in that transaction.
 */
public abstract sealed class Repositories permits Cairn, Transaction {
    Repositories() {}

    /** Where this side's repositories run their SQL. */
    abstract Session session();

    /** The goals, with their task graphs, proofs, budgets, artifacts, decisions and slice leases. */
    public GoalStore goals() {
        return new SqlGoalStore(session());
    }
}
