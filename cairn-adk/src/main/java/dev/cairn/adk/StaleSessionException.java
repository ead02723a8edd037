package dev.cairn.adk;

import com.google.adk.sessions.SessionException;

/**
 * An event was appended through a session object that no longer shows the stored session: another writer (another
 * process, or another copy in this one) appended to it, or deleted it, after this copy was read. Nothing was written;
 * read the session again with {@code getSession} and append to the fresh copy.
 */
public class StaleSessionException extends SessionException {
    private final long seenVersion;
    private final long storedVersion;

    public StaleSessionException(String message, long seenVersion, long storedVersion, Throwable cause) {
        super(message, cause);
        this.seenVersion = seenVersion;
        this.storedVersion = storedVersion;
    }

    /** The stream version of the last event the stale copy had seen. */
    public long seenVersion() {
        return seenVersion;
    }

    /** The stream version the stored session was at when the append was refused; -1 when it was deleted. */
    public long storedVersion() {
        return storedVersion;
    }
}
