package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.MigrationException;
import dev.cairn.ReadTransaction;
import dev.cairn.maintenance.MigrationInfo;
import java.util.function.Function;

/**
 * Opens the store an invocation is about for the commands that need its tables. It never creates or migrates
 * anything: a store that was never migrated (an empty file, say) or lags behind this Cairn's schema is refused with
 * "run 'cairn migrate' first" (exit 6), the same for every command.
 */
final class OpenStore {
    private OpenStore() {}

    /** The store without a writer, for commands that only read. */
    static Cairn forReading(CairnCommand root) {
        return open(root, false);
    }

    /** The store with its writer, for commands that change it. */
    static Cairn forWriting(CairnCommand root) {
        return open(root, true);
    }

    /** Opens the store for reading and runs {@code view} on one snapshot of it, so the reads it makes agree. */
    static <T> T read(CairnCommand root, Function<ReadTransaction, T> view) {
        try (Cairn db = forReading(root)) {
            return db.read(view);
        }
    }

    private static Cairn open(CairnCommand root, boolean write) {
        // Checked on a read-only connection first: opening the writer would already set the journal mode, and a
        // refused store must be left exactly as it was.
        Cairn db = root.store().readOnly(true).open();
        try {
            requireMigrated(root, db);
            if (!write) {
                return db;
            }
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
        db.close();
        return root.store().migrate(false).open();
    }

    /** Refuses a store that has migrations of this Cairn still pending. */
    static void requireMigrated(CairnCommand root, Cairn db) {
        for (MigrationInfo m : db.migrations()) {
            if (m.appliedAt().isEmpty()) {
                throw new MigrationException(root.database() + " is not migrated to this Cairn's schema (migration "
                        + m.fileName() + " is pending); run 'cairn migrate' first");
            }
        }
    }
}
