package dev.cairn;

/**
 * An append named an expected version of its stream that the stream no longer (or not yet) has; nothing was written.
 * Read the stream again, decide again, and append with the version you read.
 */
public class WrongExpectedVersionException extends ConflictException {
    private final String streamId;
    private final String expected;
    private final long actual;

    public WrongExpectedVersionException(String streamId, String expected, long actual) {
        super("stream " + streamId + " was expected to be " + expected + " but "
                + (actual < 0 ? "does not exist" : "is at version " + actual)
                + "; nothing was written. Re-read the stream and retry with the version you read");
        this.streamId = streamId;
        this.expected = expected;
        this.actual = actual;
    }

    public String streamId() {
        return streamId;
    }

    /**
     * What the append expected, as text: {@code any}, {@code no stream}, {@code an existing stream},
     * {@code at version 4}.
     */
    public String expected() {
        return expected;
    }

    /** The stream's version when the append ran; -1 when the stream does not exist. */
    public long actual() {
        return actual;
    }
}
