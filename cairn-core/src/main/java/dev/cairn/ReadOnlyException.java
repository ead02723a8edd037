package dev.cairn;

/** A write was needed but the database file or its directory cannot be written, or the store was opened read-only. */
public class ReadOnlyException extends CairnException {
    public ReadOnlyException(String message) {
        super(message);
    }

    public ReadOnlyException(String message, Throwable cause) {
        super(message, cause);
    }
}
