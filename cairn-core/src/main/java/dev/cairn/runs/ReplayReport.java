package dev.cairn.runs;

import java.util.Optional;

/**
 * What {@link RunLedger#replay(String, RunBody)} found: how many steps and calls the code went through, and where it
 * first left the record, if it did.
 */
public record ReplayReport(String runId, int steps, int calls, Optional<Divergence> divergence) {
    /** Whether the code did exactly what the record says. */
    public boolean matches() {
        return divergence.isEmpty();
    }
}
