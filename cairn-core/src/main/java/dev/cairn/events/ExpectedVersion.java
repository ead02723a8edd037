package dev.cairn.events;

import dev.cairn.InvalidInputException;

/**
 * What an append expects of its stream's current version: the optimistic-concurrency guard of the event log.
 *
 * <p>Versions are 0-based: a stream with one event is at version 0; a stream without events is at version -1.
 */
public sealed interface ExpectedVersion {
    /** Appends whatever the stream's version. */
    static ExpectedVersion any() {
        return Any.INSTANCE;
    }

    /** Appends only when the stream has no events yet (creating it). */
    static ExpectedVersion noStream() {
        return NoStream.INSTANCE;
    }

    /** Appends only when the stream has at least one event. */
    static ExpectedVersion streamExists() {
        return StreamExists.INSTANCE;
    }

    /** Appends only when the stream's last event has exactly this version. */
    static ExpectedVersion exact(long version) {
        return new Exact(version);
    }

    /** Whether a stream at {@code actual} (-1: no stream) satisfies this expectation. */
    boolean matches(long actual);

    /** Any version. */
    enum Any implements ExpectedVersion {
        INSTANCE;

        @Override
        public boolean matches(long actual) {
            return true;
        }

        @Override
        public String toString() {
            return "any";
        }
    }

    /** No stream yet. */
    enum NoStream implements ExpectedVersion {
        INSTANCE;

        @Override
        public boolean matches(long actual) {
            return actual < 0;
        }

        @Override
        public String toString() {
            return "no stream";
        }
    }

    /** An existing stream, at whatever version. */
    enum StreamExists implements ExpectedVersion {
        INSTANCE;

        @Override
        public boolean matches(long actual) {
            return actual >= 0;
        }

        @Override
        public String toString() {
            return "an existing stream";
        }
    }

    /** Exactly this version. */
    record Exact(long version) implements ExpectedVersion {
        public Exact {
            if (version < 0) {
                throw new InvalidInputException("an exact expected version is 0 or more (a stream's first event has "
                        + "version 0), was " + version + "; use ExpectedVersion.noStream() for a new stream");
            }
        }

        @Override
        public boolean matches(long actual) {
            return actual == version;
        }

        @Override
        public String toString() {
            return "at version " + version;
        }
    }
}
