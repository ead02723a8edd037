package dev.cairn.goals.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cairn.goals.GateResult;
import dev.cairn.goals.Proof;
import dev.cairn.goals.ProofSpec;
import dev.cairn.goals.ProofStore;
import dev.cairn.internal.Json;
import dev.cairn.internal.Session;
import dev.cairn.internal.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Proofs on a session, and the SQL of the {@code goal_proofs} table. */
final class SqlProofStore implements ProofStore {
    private static final TypeReference<List<GateResult>> GATES = new TypeReference<>() {};
    private static final String COLUMNS = "goal_id, version, status, readiness, summary, gates, changed_files, "
            + "commits, post_mutation_gates_ran, known_gaps, human_decisions_required, details, generated_at";

    private final Session session;
    private final GoalEvents events;

    SqlProofStore(Session session, GoalEvents events) {
        this.session = session;
        this.events = events;
    }

    @Override
    public Proof upsert(String goalId, ProofSpec p) {
        if (p.details() != null && !Json.tree(p.details()).isObject()) {
            throw new dev.cairn.InvalidInputException("the details of the proof of goal " + goalId
                    + " must be a JSON object");
        }
        return session.write(c -> {
            GoalTable.lock(c, session.dialect(), goalId);
            Instant now = session.clock().instant();
            Sql.update(c, "INSERT INTO goal_proofs (" + COLUMNS + ") VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (goal_id) DO UPDATE SET version = goal_proofs.version + 1, status = "
                    + "excluded.status, readiness = excluded.readiness, summary = excluded.summary, gates = "
                    + "excluded.gates, changed_files = excluded.changed_files, commits = excluded.commits, "
                    + "post_mutation_gates_ran = excluded.post_mutation_gates_ran, known_gaps = excluded.known_gaps, "
                    + "human_decisions_required = excluded.human_decisions_required, details = excluded.details, "
                    + "generated_at = excluded.generated_at",
                    goalId, p.status(), p.readiness(), p.summary(), JsonLists.write(p.gates()),
                    JsonLists.write(p.changedFiles()), JsonLists.write(p.commits()), p.postMutationGatesRan(),
                    JsonLists.write(p.knownGaps()), JsonLists.write(p.humanDecisionsRequired()), p.details(), now);
            Proof proof = find(c, goalId).orElseThrow();
            events.proofUpserted(proof);
            return proof;
        });
    }

    /**
     * The proof of an imported goal, as version 1 with the time the other store generated it; recorded by the import's
     * own event, not by {@code goal.proof-recorded}.
     */
    static Proof insertImported(Connection c, String goalId, ProofSpec p, Instant generatedAt) throws SQLException {
        Sql.update(c, "INSERT INTO goal_proofs (" + COLUMNS + ") VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                goalId, p.status(), p.readiness(), p.summary(), JsonLists.write(p.gates()),
                JsonLists.write(p.changedFiles()), JsonLists.write(p.commits()), p.postMutationGatesRan(),
                JsonLists.write(p.knownGaps()), JsonLists.write(p.humanDecisionsRequired()), p.details(), generatedAt);
        return find(c, goalId).orElseThrow();
    }

    @Override
    public Optional<Proof> get(String goalId) {
        return session.read(c -> find(c, goalId));
    }

    @Override
    public boolean delete(String goalId) {
        return session.write(c -> {
            GoalTable.lock(c, session.dialect(), goalId);
            boolean deleted = Sql.update(c, "DELETE FROM goal_proofs WHERE goal_id = ?", goalId) > 0;
            if (deleted) {
                events.proofDeleted(goalId);
            }
            return deleted;
        });
    }

    private static Optional<Proof> find(Connection c, String goalId) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM goal_proofs WHERE goal_id = ?", SqlProofStore::map, goalId);
    }

    private static Proof map(ResultSet row) throws SQLException {
        return new Proof(row.getString("goal_id"), row.getLong("version"), row.getString("status"),
                row.getString("readiness"), row.getString("summary"), JsonLists.read(row.getString("gates"), GATES),
                JsonLists.strings(row.getString("changed_files")), JsonLists.strings(row.getString("commits")),
                row.getBoolean("post_mutation_gates_ran"), JsonLists.strings(row.getString("known_gaps")),
                JsonLists.strings(row.getString("human_decisions_required")), row.getString("details"),
                Instant.ofEpochMilli(row.getLong("generated_at")));
    }
}
