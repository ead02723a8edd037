package dev.cairn.runs;

/** The code of a whole run, as {@link RunLedger#replay(String, RunBody)} runs it again against the record. */
@FunctionalInterface
public interface RunBody {
    void run(RunScope run) throws Exception;
}
