package dev.cairn;

/**
 * The database failed in a way no narrower exception describes: an I/O error, a corrupt file, a driver fault. The
 * message carries the database's own words and the path; {@code cairn doctor} tells more.
 */
public class StorageException extends CairnException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
