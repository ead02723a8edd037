package dev.cairn;

/** The disk (or the database's size limit) is full; the transaction was rolled back and nothing of it was kept. */
public class StorageFullException extends CairnException {
    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
