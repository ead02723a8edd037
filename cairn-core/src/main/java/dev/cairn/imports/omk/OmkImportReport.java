package dev.cairn.imports.omk;

import java.time.Duration;
import java.util.List;

/**
 * What an omk import did with each goal of the state directory, in the order of their ids.
 *
 * @param stateDir the omk state directory, absolute
 * @param dryRun whether nothing was written (the outcomes say what an import would do)
 * @param warnings what concerns the whole import (an unreadable omk.db, goals known only to omk.db, files that stay
 *     in omk's directory)
 */
public record OmkImportReport(String stateDir, boolean dryRun, List<OmkGoalReport> goals, List<String> warnings,
        Duration took) {
    public OmkImportReport {
        goals = List.copyOf(goals);
        warnings = List.copyOf(warnings);
    }

    public long count(OmkGoalReport.Outcome outcome) {
        return goals.stream().filter(g -> g.outcome() == outcome).count();
    }

    /** Whether every goal is in Cairn now with the content of its files: none skipped, none in conflict. */
    public boolean complete() {
        return count(OmkGoalReport.Outcome.SKIPPED) == 0 && count(OmkGoalReport.Outcome.CONFLICT) == 0;
    }

    /** The omk events of the goals imported now (in a dry run: that would be). */
    public long eventsImported() {
        return goals.stream().filter(g -> g.outcome() == OmkGoalReport.Outcome.IMPORTED)
                .mapToLong(g -> g.count("events")).sum();
    }
}
