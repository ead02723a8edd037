package dev.cairn.imports.omk.internal;

import dev.cairn.imports.omk.OmkImportProblem;

/** Why a goal cannot be imported; thrown while reading its files, before anything of it is written. */
final class BrokenGoal extends Exception {
    private static final long serialVersionUID = 1L;

    final transient OmkImportProblem problem;

    BrokenGoal(OmkImportProblem.Kind kind, String file, Long line, String message) {
        super((file == null ? "" : file + (line == null ? "" : ":" + line) + ": ") + message, null, false, false);
        this.problem = new OmkImportProblem(kind, file, line, message);
    }

    static BrokenGoal at(String file, long line, String message) {
        return new BrokenGoal(OmkImportProblem.Kind.BROKEN, file, line, message);
    }

    static BrokenGoal in(String file, String message) {
        return new BrokenGoal(OmkImportProblem.Kind.BROKEN, file, null, message);
    }
}
