package dev.cairn;

/**
 * The store was closed before (or while) this call used it: open it again. A server or pool that wraps a store tells
 * it from other misuse by this type, not by its message.
 */
public final class StoreClosedException extends TransactionStateException {
    /** @param location where the store is: its file, or its URL without a password */
    public StoreClosedException(String location) {
        super("the store at " + location + " is closed; open it again to use it");
    }
}
