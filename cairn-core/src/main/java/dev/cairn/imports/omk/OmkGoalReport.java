package dev.cairn.imports.omk;

import java.util.List;
import java.util.Map;

/**
 * What the import did with one omk goal (or, in a dry run, would do).
 *
 * @param projectDir the project directory the Cairn goal got, or null when it was not imported
 * @param projectDirFrom where that directory came from
 * @param records how many records of each kind it holds: {@code tasks}, {@code events}, {@code proofs}, {@code gates},
 *     {@code budgetCheckpoints}, {@code decisions}, {@code costRecords}, {@code artifacts}, {@code leases},
 *     {@code controllers}
 * @param eventTypes how many of its omk events became events of each Cairn type
 * @param conversions what was converted on the way, and how (rounding, quirks of omk, keys ignored), one line each
 * @param problems why it was not imported (empty when it was)
 */
public record OmkGoalReport(String goalId, Outcome outcome, String projectDir, ProjectDirSource projectDirFrom,
        Map<String, Long> records, Map<String, Long> eventTypes, List<String> conversions,
        List<OmkImportProblem> problems) {
    public OmkGoalReport {
        records = Map.copyOf(records);
        eventTypes = Map.copyOf(eventTypes);
        conversions = List.copyOf(conversions);
        problems = List.copyOf(problems);
    }

    /** What became of the goal. */
    public enum Outcome {
        /** Imported now (in a dry run: would be). */
        IMPORTED,
        /** Imported before from the same content: nothing was changed. */
        UNCHANGED,
        /** Cairn holds a goal of this id with other content; it was left as it is. */
        CONFLICT,
        /** Broken, truncated or missing: not imported (see the problems). */
        SKIPPED
    }

    /** Where an imported goal's project directory came from. */
    public enum ProjectDirSource {
        /** The {@code project_dir} of the goal's {@code run_started} events, the directory omk worked in. */
        RUN_STARTED_EVENTS,
        /** No event names it: the goal's own directory in omk's state directory stands in. */
        GOAL_DIRECTORY
    }

    /** How many records of one kind (see {@link #records()}); 0 for a kind it has none of. */
    public long count(String kind) {
        return records.getOrDefault(kind, 0L);
    }
}
