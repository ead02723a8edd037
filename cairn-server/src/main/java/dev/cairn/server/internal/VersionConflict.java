package dev.cairn.server.internal;

/** A conflict over a record's version (a goal moved since the client read it), carrying the version it has now. */
final class VersionConflict extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long currentVersion;

    VersionConflict(String message, long currentVersion) {
        super(message);
        this.currentVersion = currentVersion;
    }

    long currentVersion() {
        return currentVersion;
    }
}
