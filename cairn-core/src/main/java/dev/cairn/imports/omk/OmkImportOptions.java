package dev.cairn.imports.omk;

import dev.cairn.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link dev.cairn.Cairn#importOmk} imports from an omk state directory, and how. Start from {@link #of} (or
 * {@link #defaultStateDir()}) and change what differs with the {@code with...} methods.
 *
 * @param stateDir omk's state directory: the one holding {@code goals/<goal_id>/} and, from omk 0.5 on, {@code omk.db}
 * @param goals the ids of the goals to import; empty: every goal of the directory
 * @param dryRun read and check everything and report what an import would do, writing nothing
 * @param acceptTruncated import the complete lines of an {@code events.jsonl} whose last line was cut off (a writer
 *     killed mid-line); without it such a goal is skipped and reported
 * @param copyArtifactsTo null to register the goals' files where omk keeps them (deleting omk's directory then loses
 *     them); else a directory to copy them into, under {@code goals/<goal_id>/}, registering the copies
 */
public record OmkImportOptions(Path stateDir, Set<String> goals, boolean dryRun, boolean acceptTruncated,
        Path copyArtifactsTo) {
    public OmkImportOptions {
        if (stateDir == null) {
            throw new InvalidInputException("an omk import needs the omk state directory (the one holding goals/)");
        }
        goals = goals == null ? Set.of() : Set.copyOf(new TreeSet<>(goals));
    }

    /** Every goal of {@code stateDir}, written, truncated event logs refused, artifacts left where they are. */
    public static OmkImportOptions of(Path stateDir) {
        return new OmkImportOptions(stateDir, Set.of(), false, false, null);
    }

    /**
     * Where omk keeps its state on this machine: {@code ~/.omk/state} when {@code ~/.omk} exists (its legacy place),
     * else {@code $XDG_STATE_HOME/omk}, else {@code ~/.local/state/omk}.
     */
    public static Path defaultStateDir() {
        return defaultStateDir(System.getenv(), System.getProperty("user.home"));
    }

    /** omk's own rule ({@code omk_state_dir()}), from an environment and a home; without a home, under /tmp. */
    static Path defaultStateDir(Map<String, String> env, String home) {
        boolean homeless = home == null || home.isBlank();
        Path base = homeless ? Path.of("/tmp") : Path.of(home);
        if (!homeless && Files.isDirectory(base.resolve(".omk"))) {
            return base.resolve(".omk").resolve("state");
        }
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg).resolve("omk");
        }
        return base.resolve(".local").resolve("state").resolve("omk");
    }

    public OmkImportOptions withGoals(Collection<String> goalIds) {
        return new OmkImportOptions(stateDir, Set.copyOf(goalIds), dryRun, acceptTruncated, copyArtifactsTo);
    }

    public OmkImportOptions withDryRun(boolean dryRun) {
        return new OmkImportOptions(stateDir, goals, dryRun, acceptTruncated, copyArtifactsTo);
    }

    public OmkImportOptions withAcceptTruncated(boolean acceptTruncated) {
        return new OmkImportOptions(stateDir, goals, dryRun, acceptTruncated, copyArtifactsTo);
    }

    public OmkImportOptions withArtifactsCopiedTo(Path directory) {
        return new OmkImportOptions(stateDir, goals, dryRun, acceptTruncated, directory);
    }
}
