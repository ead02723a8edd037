package dev.cairn.cli;

import dev.cairn.ConflictException;
import dev.cairn.Owner;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalStore;
import dev.cairn.runs.AuditLevel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cairn goal show|pause|resume|cancel|release-controller ID}: the goal's subcommands. A goal may be named like
 * one of them (callers choose goal ids): the subcommand wins, and {@code cairn goal show ID} reaches any goal.
 */
final class GoalRepairCommands {
    private GoalRepairCommands() {}

    /** {@code cairn goal show ID}. */
    @Command(name = "show", description = "Show one goal, whatever its id (even one named like a subcommand).")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        GoalCommand parent;

        @Parameters(paramLabel = "ID", description = "The goal's id, as 'cairn goals' lists it.")
        String id;

        @Option(names = "--events", paramLabel = "N", defaultValue = "10",
                description = "How many of its last events to show (default 10).")
        int events;

        @Override
        public Integer call() {
            return parent.show(id, events);
        }
    }

    /** What pause, resume and cancel share: a goal, a reason, the repair options. */
    abstract static class Transition implements Callable<Integer> {
        @ParentCommand
        GoalCommand parent;

        @Parameters(paramLabel = "ID", description = "The goal's id.")
        String id;

        @Mixin
        Repair.Reason reason;

        @Mixin
        Repair.Options options;

        /** Makes the move on {@code goals}; the reason as given or made up. */
        abstract Goal move(GoalStore goals, String goalId, String reason);

        abstract String name();

        abstract String verb();

        @Override
        public Integer call() {
            String goalId = id.strip();
            String command = "goal " + name();
            String why = reason.or(command + " " + goalId);
            return Repair.run(parent.root, options, command, AuditLevel.INFO, tx -> {
                Goal before = tx.goals().get(goalId);
                Goal after = move(tx.goals(), goalId, why);
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("goalId", goalId);
                fields.put("from", before.status().storedName());
                fields.put("to", after.status().storedName());
                fields.put("version", after.version());
                fields.put("reason", why);
                return new Repair.Outcome("goal " + goalId, verb(), before.status() + " → " + after.status()
                        + " (version " + after.version() + ")", fields);
            });
        }
    }

    /** {@code cairn goal pause ID}. */
    @Command(name = "pause", description = "Pause a goal: it hands out no work until resumed.")
    static final class Pause extends Transition {
        @Override
        Goal move(GoalStore goals, String goalId, String reason) {
            return goals.pause(goalId);
        }

        @Override
        String name() {
            return "pause";
        }

        @Override
        String verb() {
            return "paused";
        }
    }

    /** {@code cairn goal resume ID}. */
    @Command(name = "resume", description = "Resume a paused goal: back to not_ready, for its controller to start.")
    static final class Resume extends Transition {
        @Override
        Goal move(GoalStore goals, String goalId, String reason) {
            return goals.resume(goalId);
        }

        @Override
        String name() {
            return "resume";
        }

        @Override
        String verb() {
            return "resumed";
        }
    }

    /** {@code cairn goal cancel ID}. */
    @Command(name = "cancel", description = "Cancel a goal for good, recording the reason as its failure.")
    static final class Cancel extends Transition {
        @Override
        Goal move(GoalStore goals, String goalId, String reason) {
            return goals.cancel(goalId, reason);
        }

        @Override
        String name() {
            return "cancel";
        }

        @Override
        String verb() {
            return "cancelled";
        }
    }

    /** {@code cairn goal release-controller ID}. */
    @Command(name = "release-controller", description = {"Release the controller of a goal whose controller is "
            + "gone, so that another may claim it at once.",
        "Refused while the controller is alive (its heartbeat within --stale-after; on SQLite, its process running), "
                + "unless --force, which is recorded as a decision on the goal."})
    static final class ReleaseController implements Callable<Integer> {
        @ParentCommand
        GoalCommand parent;

        @Parameters(paramLabel = "ID", description = "The goal's id.")
        String id;

        @Option(names = "--stale-after", paramLabel = "DURATION", defaultValue = "30s",
                description = "How old its heartbeat must be for the controller to count as gone (default 30s).")
        String staleAfter;

        @Option(names = "--force", description = "Release it even while it is alive (its next heartbeat is "
                + "refused), recorded as a decision.")
        boolean force;

        @Mixin
        Repair.Reason reason;

        @Mixin
        Repair.Options options;

        @Override
        public Integer call() {
            String goalId = id.strip();
            Duration stale = TimeArgs.duration("--stale-after", staleAfter);
            String command = "goal release-controller";
            String why = reason.or(command + " " + goalId);
            BiFunction<GoalStore, Goal, Goal> release = (goals, before) -> {
                if (force) {
                    return goals.forceReleaseController(goalId, Repair.actor(), why);
                }
                try {
                    return goals.releaseController(goalId, stale, why);
                } catch (ConflictException e) {
                    if (before.controller() == null) {
                        throw e;
                    }
                    throw new ConflictException(e.getMessage() + " (--force releases it anyway, recorded as a "
                            + "decision)", e);
                }
            };
            return Repair.run(parent.root, options, command, force ? AuditLevel.WARN : AuditLevel.INFO, tx -> {
                Goal before = tx.goals().get(goalId);
                Goal after = release.apply(tx.goals(), before);
                Owner controller = before.controller();
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("goalId", goalId);
                fields.put("controller", GoalViews.json(controller));
                fields.put("heartbeatAt", before.heartbeatAt());
                fields.put("forced", force);
                fields.put("version", after.version());
                fields.put("reason", why);
                return new Repair.Outcome("the controller of goal " + goalId, "released", controller.id()
                        + " (host " + controller.host() + ", pid " + controller.pid() + "), last heartbeat "
                        + GoalViews.age(before.heartbeatAt(), tx.sharedNow()) + (force ? "; forced, recorded as a "
                        + "decision" : "") + "; any controller may claim the goal now", fields);
            });
        }
    }
}
