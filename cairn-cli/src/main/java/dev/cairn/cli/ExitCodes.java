package dev.cairn.cli;

import dev.cairn.BusyException;
import dev.cairn.ConflictException;
import dev.cairn.InvalidInputException;
import dev.cairn.MigrationException;
import dev.cairn.NotFoundException;
import dev.cairn.NotSupportedException;
import dev.cairn.SchemaTooNewException;

/** The exit codes of {@code cairn}, as documented in the README. */
final class ExitCodes {
    static final int OK = 0;
    /** A check found problems (doctor), the database is not initialized yet, or a repair was not confirmed. */
    static final int PROBLEMS = 1;
    /** The command line is wrong, an argument is invalid, or the command does not apply to this kind of database. */
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    /** A conflict: a stale version, an existing destination, a claim held by someone else. */
    static final int CONFLICT = 4;
    /** The database stayed locked past the busy timeout. */
    static final int BUSY = 5;
    /** The schema is newer than this Cairn, or a migration failed or was edited. */
    static final int SCHEMA = 6;
    /** The file is not a database, is read-only, the disk is full, or another storage failure. */
    static final int STORAGE = 7;
    /** A bug in Cairn: please report it with the output of --verbose. */
    static final int INTERNAL = 70;

    private ExitCodes() {}

    static int of(Throwable e) {
        if (e instanceof InvalidInputException || e instanceof NotSupportedException) {
            return USAGE;
        } else if (e instanceof NotFoundException) {
            return NOT_FOUND;
        } else if (e instanceof ConflictException) {
            return CONFLICT;
        } else if (e instanceof BusyException) {
            return BUSY;
        } else if (e instanceof SchemaTooNewException || e instanceof MigrationException) {
            return SCHEMA;
        } else if (e instanceof dev.cairn.CairnException) {
            return STORAGE;
        }
        return INTERNAL;
    }
}
