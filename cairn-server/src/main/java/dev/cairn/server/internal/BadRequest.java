package dev.cairn.server.internal;

/**
 * A request the API cannot read: malformed JSON, a body that breaks its schema (an unknown field, a missing one, a
 * wrong type), or a malformed query parameter. Answered 400; nothing reached the store.
 */
public final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadRequest(String message) {
        super(message);
    }
}
