package dev.cairn;

/** The file at the given path exists but is not a SQLite database; it was left untouched. */
public class NotADatabaseException extends CairnException {
    public NotADatabaseException(String message) {
        super(message);
    }

    public NotADatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
