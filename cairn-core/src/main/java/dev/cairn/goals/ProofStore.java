package dev.cairn.goals;

import java.util.Optional;

/** The one current proof of each goal. */
public interface ProofStore {
    /** Writes the goal's proof, replacing the one before; its version grows by one each time (1 for the first). */
    Proof upsert(String goalId, ProofSpec proof);

    Optional<Proof> get(String goalId);

    /** Deletes the goal's proof; returns whether there was one. */
    boolean delete(String goalId);
}
