package dev.cairn.goals;

import java.time.Instant;
import java.util.List;

/**
 * The current proof of a goal. Every upsert replaces the content and adds one to {@code version}; earlier versions
 * stay in the goal's event stream. Gates passed and total are counted from the gates, so they cannot disagree.
 */
public record Proof(String goalId, long version, String status, String readiness, String summary,
        List<GateResult> gates, List<String> changedFiles, List<String> commits, boolean postMutationGatesRan,
        List<String> knownGaps, List<String> humanDecisionsRequired, String details, Instant generatedAt) {
    public Proof {
        gates = List.copyOf(gates);
        changedFiles = List.copyOf(changedFiles);
        commits = List.copyOf(commits);
        knownGaps = List.copyOf(knownGaps);
        humanDecisionsRequired = List.copyOf(humanDecisionsRequired);
    }

    public int gatesPassed() {
        return (int) gates.stream().filter(GateResult::passed).count();
    }

    public int gatesTotal() {
        return gates.size();
    }

    public boolean allGatesPassed() {
        return gatesPassed() == gatesTotal();
    }
}
