package dev.cairn.server.internal;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.StaleClaimException;
import dev.cairn.runs.Run;
import dev.cairn.runs.RunScope;
import dev.cairn.runs.Step;
import dev.cairn.runs.StepScope;
import dev.cairn.server.internal.Wire.RunIn;
import dev.cairn.server.internal.Wire.StepIn;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs that remote clients began, held across requests: the server process owns them in the ledger (its
 * {@code Owner.current()}), keeps the scope a run began with, and resumes a run it does not hold (after a restart)
 * through {@link dev.cairn.runs.RunLedger#resume}, which this process may always do for its own runs. Requests on
 * one run are taken one at a time, as a scope expects.
 */
final class RunSessions {
    private final Cairn db;
    private final Map<String, RunScope> open = new ConcurrentHashMap<>();

    RunSessions(Cairn db) {
        this.db = db;
    }

    Run begin(RunIn in) {
        RunScope scope = db.runs().begin(in.args(), in.config(), in.gitSha());
        open.put(scope.id(), scope);
        return scope.run();
    }

    Step step(String runId, StepIn in) {
        Map<String, Object> stats = new LinkedHashMap<>();
        if (in.stats() != null) {
            in.stats().fields().forEachRemaining(stat -> stats.put(stat.getKey(), stat.getValue()));
        }
        // Checked before the step begins (beginning commits it): a refused request must leave no running step.
        if (stats.containsKey("duration_ms")) {
            throw new InvalidInputException("duration_ms is measured by the step itself; name the stat differently");
        }
        RunScope scope = scope(runId);
        synchronized (scope) {
            StepScope step;
            try {
                step = scope.step(in.name());
            } catch (StaleClaimException e) {
                open.remove(runId, scope); // another process holds the run now: resume it afresh next time
                throw e;
            }
            try {
                stats.forEach(step::stat);
                switch (in.outcome()) {
                    case SUCCESS -> step.success();
                    case SKIPPED -> step.skip(in.message() == null ? "skipped" : in.message());
                    case FAILED -> step.fail(in.message() == null ? "failed" : in.message());
                }
            } catch (RuntimeException e) {
                // Once begun the step is ended either way, so that the client's retry adds the step it meant, not
                // a second one beside a step left running.
                if (!step.ended()) {
                    try {
                        step.fail("not recorded: " + e.getMessage());
                    } catch (RuntimeException again) {
                        e.addSuppressed(again);
                    }
                }
                if (e instanceof StaleClaimException) {
                    open.remove(runId, scope);
                }
                throw e;
            }
            // The ledger does not hand the ended step back; read it (by id) for its position, times and stats.
            return db.runs().steps(runId).stream().filter(s -> s.id().equals(step.id())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("step " + step.id() + " of run " + runId
                            + " was recorded but cannot be read back"));
        }
    }

    Run finish(String runId) {
        RunScope scope = scope(runId);
        synchronized (scope) {
            try {
                scope.close();
            } catch (StaleClaimException e) {
                open.remove(runId, scope);
                throw e;
            }
            open.remove(runId, scope);
            return db.runs().get(runId);
        }
    }

    private RunScope scope(String runId) {
        db.runs().get(runId); // a run that does not exist is a 404 before anything is resumed
        return open.computeIfAbsent(runId, id -> db.runs().resume(id));
    }
}
