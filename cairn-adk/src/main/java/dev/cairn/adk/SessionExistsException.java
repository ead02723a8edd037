package dev.cairn.adk;

import com.google.adk.sessions.SessionException;

/**
 * {@code createSession} was given the id of a session that already exists for that app and user. Nothing was written;
 * get the existing session with {@code getSession}, or create one with another id (or none, to have one made).
 */
public class SessionExistsException extends SessionException {
    public SessionExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
