package dev.cairn;

/**
 * A transaction was used in a way that would corrupt its meaning: after it ended, from inside itself (a store-level
 * write on the thread that holds it open), or nested. Such misuse is a bug in the calling code.
 */
public class TransactionStateException extends CairnException {
    public TransactionStateException(String message) {
        super(message);
    }
}
