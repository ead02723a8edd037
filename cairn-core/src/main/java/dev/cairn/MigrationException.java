package dev.cairn;

/**
 * A schema migration could not be applied or verified. The database stays at the last version that was fully
 * applied.
 */
public class MigrationException extends CairnException {
    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
