package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.MigrationException;
import dev.cairn.maintenance.MigrationInfo;

/** Opens the store for the run-ledger commands, which need its tables and never migrate by themselves. */
final class LedgerStore {
    private LedgerStore() {}

    /** The store, read-only unless {@code write}; refuses one whose schema predates the run ledger. */
    static Cairn open(CairnCommand root, boolean write) {
        Cairn db = root.store().readOnly(!write).migrate(false).open();
        for (MigrationInfo m : db.migrations()) {
            if (m.appliedAt().isEmpty()) {
                db.close();
                throw new MigrationException(root.database() + " is not migrated to this Cairn's schema (migration "
                        + m.fileName() + " is pending); run 'cairn migrate' first");
            }
        }
        return db;
    }
}
