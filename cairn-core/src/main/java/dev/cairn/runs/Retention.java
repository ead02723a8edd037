package dev.cairn.runs;

import dev.cairn.InvalidInputException;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@link RunLedger#prune(Retention)} deletes: audit entries older than one age, finished runs (with their steps)
 * that finished longer ago than another. Start from {@link #keepEverything()}; a dry run only counts.
 */
public record Retention(Optional<Duration> auditOlderThan, Optional<Duration> runsOlderThan, boolean dryRun) {
    public Retention {
        auditOlderThan.ifPresent(age -> requirePositive("audit", age));
        runsOlderThan.ifPresent(age -> requirePositive("runs", age));
    }

    public static Retention keepEverything() {
        return new Retention(Optional.empty(), Optional.empty(), false);
    }

    public Retention auditOlderThan(Duration age) {
        return new Retention(Optional.of(age), runsOlderThan, dryRun);
    }

    public Retention runsOlderThan(Duration age) {
        return new Retention(auditOlderThan, Optional.of(age), dryRun);
    }

    /** Counts what would be deleted, and deletes nothing. */
    public Retention asDryRun() {
        return new Retention(auditOlderThan, runsOlderThan, true);
    }

    private static void requirePositive(String what, Duration age) {
        if (age.isNegative() || age.isZero()) {
            throw new InvalidInputException("the retention age of " + what + " must be positive, was " + age);
        }
    }
}
