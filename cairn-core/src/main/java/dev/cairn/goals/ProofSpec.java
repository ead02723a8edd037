package dev.cairn.goals;

import dev.cairn.InvalidInputException;
import java.util.List;

/**
 * The content of a goal's proof, as written by {@link ProofStore#upsert}.
 *
 * @param status for example {@code pending}, {@code passed}, {@code failed}
 * @param readiness the verdict on delivery, for example {@code ready} or {@code not_ready}
 * @param gates every gate's result, in the order they ran
 * @param postMutationGatesRan whether the gates ran after the last change to the code
 * @param knownGaps what the proof does not cover
 * @param humanDecisionsRequired what a person must decide before delivery
 * @param details everything else (git state, delivery metadata, review and oracle evidence ...) as a JSON object,
 *     or null
 */
public record ProofSpec(String status, String readiness, String summary, List<GateResult> gates,
        List<String> changedFiles, List<String> commits, boolean postMutationGatesRan, List<String> knownGaps,
        List<String> humanDecisionsRequired, String details) {
    public ProofSpec {
        if (status == null || status.isBlank()) {
            throw new InvalidInputException("a proof needs a status, for example pending or passed");
        }
        gates = List.copyOf(gates == null ? List.of() : gates);
        changedFiles = List.copyOf(changedFiles == null ? List.of() : changedFiles);
        commits = List.copyOf(commits == null ? List.of() : commits);
        knownGaps = List.copyOf(knownGaps == null ? List.of() : knownGaps);
        humanDecisionsRequired = List.copyOf(humanDecisionsRequired == null ? List.of() : humanDecisionsRequired);
    }

    /** A proof with a status, a readiness verdict, a summary and its gates. */
    public static ProofSpec of(String status, String readiness, String summary, List<GateResult> gates) {
        return new ProofSpec(status, readiness, summary, gates, null, null, false, null, null, null);
    }
}
