package dev.cairn.runs;

import dev.cairn.InvalidInputException;
import dev.cairn.Owner;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RunLedger#beginOrResume(RunStart)} begins a durable run, or finds it again by its key.
 *
 * @param key chosen by the caller, unique in the store: the same key names the same run
 * @param goalId the goal the run works for, or null: the costs of its calls land in that goal's budget
 * @param args what the run was started with; may be null (only a new run records it)
 * @param config the run's whole configuration; may be null (only a new run records it)
 * @param gitSha the commit the agent runs from, or null
 * @param staleAfter how long another process's silence makes its run free to take over
 */
public record RunStart(String key, String goalId, Object args, Object config, String gitSha, Duration staleAfter) {
    public RunStart {
        if (key == null || key.isBlank()) {
            throw new InvalidInputException("a durable run needs a key that is not blank");
        }
        if (staleAfter == null || staleAfter.isNegative()) {
            throw new InvalidInputException("run " + key + " needs a stale window of zero or more, was " + staleAfter);
        }
    }

    /** A run under {@code key}, for no goal, taken over after {@link Owner#DEFAULT_STALE_AFTER} of silence. */
    public static RunStart of(String key, Object args, Object config) {
        return new RunStart(key, null, args, config, null, Owner.DEFAULT_STALE_AFTER);
    }

    /** The same start for a run that works for {@code goalId}. */
    public RunStart forGoal(String goalId) {
        return new RunStart(key, Objects.requireNonNull(goalId, "goalId"), args, config, gitSha, staleAfter);
    }

    /** The same start recording the git commit the agent runs from. */
    public RunStart gitSha(String sha) {
        return new RunStart(key, goalId, args, config, sha, staleAfter);
    }

    /** The same start with another stale window. */
    public RunStart staleAfter(Duration window) {
        return new RunStart(key, goalId, args, config, gitSha, window);
    }
}
