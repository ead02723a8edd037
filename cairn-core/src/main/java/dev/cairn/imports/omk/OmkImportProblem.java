package dev.cairn.imports.omk;

/**
 * Why a goal was not imported: what is wrong, and where.
 *
 * @param file the file, relative to the omk state directory (for example {@code goals/ID/events.jsonl}), or null
 *     when the problem is not in one file (a conflict with what Cairn holds)
 * @param line the 1-based line in {@code file}, or null when no one line is at fault
 */
public record OmkImportProblem(Kind kind, String file, Long line, String message) {
    /** The kinds of problem; each leaves the goal out of the import, and out of Cairn. */
    public enum Kind {
        /** A file does not read as omk writes it: bad JSON, a missing or unknown value, a graph that does not hold. */
        BROKEN,
        /** The last line of events.jsonl was cut off; {@link OmkImportOptions#acceptTruncated()} imports the rest. */
        TRUNCATED,
        /** Cairn holds a goal of the same id with other content (natively created, or imported from other files). */
        CONFLICT,
        /** No such goal in the state directory (an id asked for that has no directory). */
        MISSING
    }

    /** {@code file:line: message}, as far as file and line are known. */
    @Override
    public String toString() {
        return (file == null ? "" : file + (line == null ? "" : ":" + line) + ": ") + message;
    }
}
