package dev.cairn.imports.omk.internal;

import dev.cairn.imports.omk.OmkImportProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a goal's files out of omk's state directory, to the same relative paths under another directory, before
 * the goal is written: each through a temporary file moved into place, so a copy is whole or absent. A file already
 * there with the same content is kept (a repeated import copies nothing); one with other content is never
 * overwritten. {@link #undo()} removes what this copy created, when the goal's write fails.
 */
final class ArtifactCopies {
    private final Path target;
    private final List<Path> created = new ArrayList<>();

    ArtifactCopies(Path target) {
        this.target = target;
    }

    void copy(ScannedGoal goal) throws BrokenGoal, IOException {
        for (ScannedGoal.ArtifactFile a : goal.artifacts) {
            if (a.source() == null) {
                continue;
            }
            Path destination = target.resolve(a.path()).normalize();
            if (!destination.startsWith(target)) {
                throw new BrokenGoal(OmkImportProblem.Kind.BROKEN, a.path(), null, "the artifact's path leads out of "
                        + target);
            }
            if (Files.exists(destination)) {
                if (Files.isRegularFile(destination) && Digests.file(destination).sha256().equals(a.sha256())) {
                    continue;
                }
                throw new BrokenGoal(OmkImportProblem.Kind.CONFLICT, a.path(), null, destination + " exists with "
                        + "other content; it was left as it is (move it away to copy the goal's files there)");
            }
            Files.createDirectories(destination.getParent());
            Path temporary = destination.resolveSibling("." + destination.getFileName() + "."
                    + java.util.UUID.randomUUID() + ".cairn-copy");
            Files.copy(a.source(), temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temporary, destination, StandardCopyOption.ATOMIC_MOVE);
            created.add(destination);
            if (!Digests.file(destination).sha256().equals(a.sha256())) {
                throw new BrokenGoal(OmkImportProblem.Kind.BROKEN, a.path(), null, "the file changed while it was "
                        + "being copied; import the goal again once omk has stopped");
            }
        }
    }

    /** Removes the files this copy created (best effort: what cannot be removed stays, harmless). */
    void undo() {
        for (Path file : created) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // left behind: a later import finds it with the same content and keeps it
            }
        }
        created.clear();
    }
}
