package dev.cairn;

/**
 * The root of every exception Cairn throws: unchecked, with a message that names the thing concerned (an id, a path,
 * a version) and says what to do about it.
 *
 * <p>When Cairn throws, the operation that failed has changed nothing: its transaction was rolled back.
 */
public class CairnException extends RuntimeException {
    public CairnException(String message) {
        super(message);
    }

    public CairnException(String message, Throwable cause) {
        super(message, cause);
    }
}
