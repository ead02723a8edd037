package dev.cairn;

/**
 * The operation is not one Cairn performs on this kind of database; the message names the tool to use instead (for
 * example {@code pg_dump} for a backup of a PostgreSQL store).
 */
public class NotSupportedException extends CairnException {
    public NotSupportedException(String message) {
        super(message);
    }
}
