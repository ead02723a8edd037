package dev.cairn.goals.internal;

import dev.cairn.Owner;
import dev.cairn.goals.Artifact;
import dev.cairn.goals.Budget;
import dev.cairn.goals.BudgetCheckpoint;
import dev.cairn.goals.BudgetUse;
import dev.cairn.goals.Decision;
import dev.cairn.goals.DecisionSpec;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.Proof;
import dev.cairn.goals.ProofSpec;
import dev.cairn.goals.SliceLease;
import dev.cairn.goals.Task;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes a goal another store kept as it stood there: its status and phase, its own times, its task graph, proof,
 * checkpoints, decisions, artifacts and leases, on the connection of the write the importer runs (one transaction per
 * goal). The repositories' operations would each move the goal through the API's transitions, stamp it with the time
 * of the import and append one event per change; an imported goal keeps the history it had instead, so the importer
 * appends one event that records the import and then the other store's own events. Each table's SQL stays in its own
 * class; this is only the door to it.
 */
public final class GoalImports {
    private GoalImports() {}

    /** The goal's row as given (status, phase, times, version, controller); its id must be new. */
    public static void goal(Connection c, Goal goal) throws SQLException {
        GoalTable.insert(c, goal);
    }

    public static boolean exists(Connection c, String goalId) throws SQLException {
        return GoalTable.exists(c, goalId);
    }

    /** The tasks as given, positions included; check the graph first with {@link #findCycle}. */
    public static void tasks(Connection c, List<Task> tasks) throws SQLException {
        TaskTable.insert(c, tasks);
    }

    /** A cycle of a graph of task ids as the path that closes it ({@code a, b, a}), or empty when there is none. */
    public static List<String> findCycle(Map<String, List<String>> dependencies) {
        return TaskGraph.findCycle(dependencies);
    }

    public static Proof proof(Connection c, String goalId, ProofSpec proof, Instant generatedAt) throws SQLException {
        return SqlProofStore.insertImported(c, goalId, proof, generatedAt);
    }

    public static BudgetCheckpoint checkpoint(Connection c, String goalId, String label, GoalStatus status,
            GoalPhase phase, Budget budget, BudgetUse use, Instant recordedAt) throws SQLException {
        return SqlBudgetStore.insertImported(c, goalId, label, status, phase, budget, use, recordedAt);
    }

    public static Decision decision(Connection c, String goalId, DecisionSpec decision, Instant createdAt)
            throws SQLException {
        return SqlDecisionStore.insertImported(c, goalId, decision, createdAt);
    }

    /** An artifact by its path relative to {@code baseDir} (an absolute directory; null: the project directory). */
    public static Artifact artifact(Connection c, String goalId, String kind, String path, String baseDir,
            String mimeType, Long sizeBytes, String sha256, Instant createdAt) throws SQLException {
        return SqlArtifactStore.insertImported(c, goalId, kind, path, baseDir, mimeType, sizeBytes, sha256, createdAt);
    }

    /**
     * The owner of an imported controller or lease, which omk named by its pid alone: an owner no process is (as
     * migration 9 does with pid-only owners), so nobody can heartbeat it and what it held is taken over once stale.
     */
    public static Owner importedOwner(long pid) {
        return new Owner("omk-pid-" + pid + "-imported", "omk", pid);
    }

    /** A lease with its recorded times; active when neither released nor expired. */
    public static SliceLease lease(Connection c, String goalId, String sliceId, long ownerPid, String ownerRole,
            List<String> writeSet, Instant claimedAt, Instant heartbeatAt, Instant releasedAt, Instant expiredAt)
            throws SQLException {
        return SqlLeaseStore.insertImported(c, goalId, sliceId, importedOwner(ownerPid), ownerRole, writeSet,
                claimedAt, heartbeatAt, releasedAt, expiredAt);
    }
}
