package dev.cairn.imports.omk.internal;

import dev.cairn.ConflictException;
import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import dev.cairn.events.EventLog;
import dev.cairn.events.RecordedEvent;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalStore;
import dev.cairn.imports.omk.OmkGoalReport;
import dev.cairn.imports.omk.OmkImportOptions;
import dev.cairn.imports.omk.OmkImportProblem;
import dev.cairn.imports.omk.OmkImportProgress;
import dev.cairn.imports.omk.OmkImportReport;
import dev.cairn.internal.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Imports omk's goal state directory ({@code goals/<id>/} and {@code omk.db}) goal by goal: each is read and checked
 * whole ({@link GoalScanner}), compared with what Cairn holds (a goal imported before from the same content is left
 * alone; one with other content is a conflict), then written in one transaction ({@link GoalWriter}). A goal that
 * cannot be imported is reported with its file and line, and the others go on. docs/imports.md describes it.
 */
public final class OmkImporter {
    private final GoalStore goals;
    private final EventLog events;
    private final GoalWriter writer;

    /** {@code events} must be the event log of {@code session}, so a goal's rows and events commit together. */
    public OmkImporter(Session session, GoalStore goals, EventLog events) {
        this.goals = goals;
        this.events = events;
        this.writer = new GoalWriter(session, events);
    }

    public OmkImportReport run(OmkImportOptions options, OmkImportProgress progress) {
        long started = System.nanoTime();
        Path stateDir = stateDirectory(options.stateDir());
        Path copyTo = options.copyArtifactsTo() == null ? null : copyTarget(options.copyArtifactsTo(), stateDir,
                options.dryRun());
        List<String> warnings = new ArrayList<>();
        OmkDb db = readDb(stateDir, warnings);
        List<String> ids = goalIds(stateDir);
        List<OmkGoalReport> reports = new ArrayList<>();
        List<String> wanted = new ArrayList<>(ids);
        if (!options.goals().isEmpty()) {
            wanted = ids.stream().filter(options.goals()::contains).toList();
            for (String id : options.goals()) {
                if (!ids.contains(id)) {
                    reports.add(skipped(id, new OmkImportProblem(OmkImportProblem.Kind.MISSING, "goals/" + id, null,
                            "there is no goal " + id + " in " + stateDir + " (no directory goals/" + id + ")")));
                }
            }
        }
        for (String id : db.goals.keySet()) {
            if (!ids.contains(id) && (options.goals().isEmpty() || options.goals().contains(id))) {
                warnings.add("goal " + id + " is in omk.db but has no directory under goals/: not imported (omk "
                        + "wrote its files when it saved it; without them there are no tasks, events or proof)");
            }
        }
        String base = (copyTo != null ? copyTo : stateDir).toString();
        long[] eventsDone = {0};
        int done = 0;
        long leftInPlace = 0;
        int total = wanted.size();
        progress.progress(0, total, 0);
        for (String id : wanted) {
            OmkGoalReport report = importGoal(stateDir, id, options, db, base, copyTo, eventsDone, done, total,
                    progress);
            reports.add(report);
            if (copyTo == null && report.outcome() == OmkGoalReport.Outcome.IMPORTED) {
                leftInPlace += report.count("artifacts");
            }
            progress.progress(++done, total, eventsDone[0]);
        }
        if (leftInPlace > 0) {
            warnings.add(leftInPlace + " artifact" + (leftInPlace == 1 ? " is" : "s are") + " registered where omk "
                    + "keeps " + (leftInPlace == 1 ? "it" : "them") + ", in " + stateDir + ": deleting that directory "
                    + "loses the files. Import with the artifacts copied to a directory of your own to keep them");
        }
        reports.sort(java.util.Comparator.comparing(OmkGoalReport::goalId));
        return new OmkImportReport(stateDir.toString(), options.dryRun(), reports, warnings,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private OmkGoalReport importGoal(Path stateDir, String id, OmkImportOptions options, OmkDb db, String base,
            Path copyTo, long[] eventsDone, int done, int total, OmkImportProgress progress) {
        ScannedGoal goal;
        try {
            goal = new GoalScanner(stateDir, id, options.acceptTruncated(), db, base).scan();
        } catch (BrokenGoal e) {
            return skipped(id, e.problem);
        } catch (IOException | UncheckedIOException e) {
            return skipped(id, new OmkImportProblem(OmkImportProblem.Kind.BROKEN, "goals/" + id, null,
                    "cannot read the goal's files: " + e.getMessage()));
        } catch (InvalidInputException e) {
            return skipped(id, new OmkImportProblem(OmkImportProblem.Kind.BROKEN, "goals/" + id, null,
                    e.getMessage()));
        }
        Existing existing = compare(goal);
        if (existing != null) {
            return report(goal, existing.outcome(), existing.problem() == null ? List.of()
                    : List.of(existing.problem()));
        }
        if (options.dryRun()) {
            eventsDone[0] += goal.events;
            return report(goal, OmkGoalReport.Outcome.IMPORTED, List.of());
        }
        ArtifactCopies copies = copyTo == null ? null : new ArtifactCopies(copyTo);
        try {
            if (copies != null) {
                copies.copy(goal);
            }
            long before = eventsDone[0];
            writer.write(goal, stateDir.toString(), base, copies != null, n -> {
                eventsDone[0] += n;
                if (eventsDone[0] / 5000 != (eventsDone[0] - n) / 5000) {
                    progress.progress(done, total, eventsDone[0]);
                }
            });
            eventsDone[0] = before + goal.events;
            return report(goal, OmkGoalReport.Outcome.IMPORTED, List.of());
        } catch (BrokenGoal e) {
            undo(copies);
            return report(goal, e.problem.kind() == OmkImportProblem.Kind.CONFLICT ? OmkGoalReport.Outcome.CONFLICT
                    : OmkGoalReport.Outcome.SKIPPED, List.of(e.problem));
        } catch (GoalWriter.Abort e) {
            undo(copies);
            if (e.problem.kind() == OmkImportProblem.Kind.CONFLICT) {
                return raced(goal, e.problem);
            }
            return report(goal, OmkGoalReport.Outcome.SKIPPED, List.of(e.problem));
        } catch (ConflictException e) {
            // Another writer (an import in another thread or process) wrote the goal's row first: its key refused ours.
            undo(copies);
            return raced(goal, new OmkImportProblem(OmkImportProblem.Kind.CONFLICT, null, null, "goal " + goal.goalId
                    + " was written to Cairn by another writer while it was being imported; it was left as it is ("
                    + e.getMessage() + ")"));
        } catch (IOException | UncheckedIOException e) {
            undo(copies);
            return report(goal, OmkGoalReport.Outcome.SKIPPED, List.of(new OmkImportProblem(
                    OmkImportProblem.Kind.BROKEN, goal.dir, null, "cannot read or copy the goal's files: "
                            + e.getMessage())));
        } catch (RuntimeException e) {
            undo(copies);
            throw e;
        }
    }

    /**
     * A goal another writer put into Cairn between this import's look and its write: unchanged when that was an import
     * of the same content (two imports of one directory at once), else the conflict.
     */
    private OmkGoalReport raced(ScannedGoal goal, OmkImportProblem problem) {
        Existing existing = compare(goal);
        if (existing != null && existing.outcome() == OmkGoalReport.Outcome.UNCHANGED) {
            return report(goal, OmkGoalReport.Outcome.UNCHANGED, List.of());
        }
        return report(goal, OmkGoalReport.Outcome.CONFLICT, List.of(problem));
    }

    private static void undo(ArtifactCopies copies) {
        if (copies != null) {
            copies.undo();
        }
    }

    /** A goal of the same id that Cairn holds already: this very import (unchanged), or other content. */
    private record Existing(OmkGoalReport.Outcome outcome, OmkImportProblem problem) {}

    /** Null when Cairn has no goal of this id. */
    private Existing compare(ScannedGoal goal) {
        if (goals.find(goal.goalId).isEmpty()) {
            return null;
        }
        Optional<RecordedEvent> first;
        try (Stream<RecordedEvent> stream = events.readStream(Goal.streamId(goal.goalId), 0)) {
            first = stream.findFirst();
        }
        if (first.isPresent() && first.get().type().equals(GoalWriter.IMPORTED)) {
            if (first.get().payloadTree().path("digest").asText("").equals(goal.digest)) {
                return new Existing(OmkGoalReport.Outcome.UNCHANGED, null);
            }
            return new Existing(OmkGoalReport.Outcome.CONFLICT, new OmkImportProblem(OmkImportProblem.Kind.CONFLICT,
                    null, null, "goal " + goal.goalId + " was imported into Cairn before (" + first.get().recordedAt()
                    + ", from " + first.get().payloadTree().path("stateDir").asText("?") + ") with other content: "
                    + "its files changed since, or were imported with other options. It was left as it is; delete "
                    + "it from Cairn first to import these files instead"));
        }
        return new Existing(OmkGoalReport.Outcome.CONFLICT, new OmkImportProblem(OmkImportProblem.Kind.CONFLICT, null,
                null, "Cairn already holds a goal " + goal.goalId + " that was not imported from omk; it was left as "
                        + "it is"));
    }

    private static OmkGoalReport report(ScannedGoal goal, OmkGoalReport.Outcome outcome,
            List<OmkImportProblem> problems) {
        return new OmkGoalReport(goal.goalId, outcome, goal.goal.projectDir(), goal.projectDirFrom, goal.records(),
                goal.eventTypes, goal.notes.lines(), problems);
    }

    private static OmkGoalReport skipped(String id, OmkImportProblem problem) {
        return new OmkGoalReport(id, OmkGoalReport.Outcome.SKIPPED, null, null, Map.of(), Map.of(), List.of(),
                List.of(problem));
    }

    private static Path stateDirectory(Path given) {
        Path dir = given.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new NotFoundException("the omk state directory " + dir + " does not exist; give the directory that "
                    + "holds omk's goals/ (omk keeps it in ~/.omk/state, $XDG_STATE_HOME/omk or ~/.local/state/omk)");
        }
        if (!Files.isDirectory(dir.resolve("goals"))) {
            throw new NotFoundException(dir + " is not an omk state directory: it has no goals/ directory; give the "
                    + "directory that holds omk's goals/");
        }
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copyTarget(Path given, Path stateDir, boolean dryRun) {
        Path dir = given.toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InvalidInputException("cannot copy the goals' files to " + dir + ": it is a file, not a "
                    + "directory; give a directory (it is created if missing)");
        }
        try {
            if (!dryRun) {
                Files.createDirectories(dir);
            }
            Path real = Files.exists(dir) ? dir.toRealPath() : dir;
            if (real.startsWith(stateDir)) {
                throw new InvalidInputException("cannot copy the goals' files to " + dir + ": it is inside the omk "
                        + "state directory " + stateDir + ", which the copy is meant to outlive; give a directory "
                        + "outside it");
            }
            return real;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + " to copy the goals' files to: " + e.getMessage(),
                    e);
        }
    }

    /** omk.db's goal rows and leases; an unreadable file is a warning, and the JSON files are imported anyway. */
    private static OmkDb readDb(Path stateDir, List<String> warnings) {
        Path file = stateDir.resolve("omk.db");
        try {
            return OmkDb.read(file);
        } catch (SQLException e) {
            warnings.add("omk.db could not be read (" + e.getMessage() + "): controllers and leases only it knows "
                    + "are not imported; the lease events of events.jsonl are");
            return OmkDb.NONE;
        }
    }

    /** The goal directories, in id order, as omk lists them: every subdirectory of goals/. */
    private static List<String> goalIds(Path stateDir) {
        TreeSet<String> ids = new TreeSet<>();
        try (Stream<Path> entries = Files.list(stateDir.resolve("goals"))) {
            entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".")).forEach(ids::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + stateDir.resolve("goals") + ": " + e.getMessage(), e);
        }
        return new ArrayList<>(ids);
    }
}
