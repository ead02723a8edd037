package dev.cairn.runs;

import java.util.Optional;

/**
 * Where code run against a run's record stopped matching it: a step (or a call) at a position that the record does
 * not have, has under another name, or made with another request.
 *
 * @param stepPosition the position of the step, 1 for the first
 * @param callPosition the position of the call within the step, when a call diverged
 * @param recorded what the record holds there (a step name, a call's kind and request), or empty when it has nothing
 * @param actual what the code did there instead, or empty when it did nothing
 */
public record Divergence(String runId, int stepPosition, Optional<Integer> callPosition, Optional<String> recorded,
        Optional<String> actual) {

    /** One line naming the position and both sides. */
    public String describe() {
        String where = "step " + stepPosition + callPosition.map(c -> ", call " + c).orElse("");
        return "run " + runId + " diverged from its record at " + where + ": the record has "
                + recorded.orElse("nothing there") + ", the code " + actual.map(a -> "did " + a)
                        .orElse("did nothing there");
    }
}
