package dev.cairn;

/**
 * The operation lost a race or contradicts the stored state: a stale version, a record that already exists, a
 * claim someone else holds. Re-read the state and decide again.
 */
public class ConflictException extends CairnException {
    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
