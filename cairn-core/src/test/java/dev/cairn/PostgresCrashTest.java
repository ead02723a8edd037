package dev.cairn;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The crash contract on PostgreSQL: the killed process is a client, so this proves that an acknowledged write was
 * committed by the server and that a client dying mid-transaction leaves nothing half-done. Skipped with a message where
 * no server answers, except in CI.
 */
class PostgresCrashTest extends CrashContract {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String store() {
        return SCHEMA.url();
    }
}
