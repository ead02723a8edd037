package dev.cairn;

/**
 * The store stayed locked by another transaction or process for longer than the busy timeout. Nothing was written;
 * the operation can be retried once the other writer is done.
 */
public class BusyException extends CairnException {
    public BusyException(String message) {
        super(message);
    }

    public BusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
