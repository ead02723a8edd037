package dev.cairn.cli;

import dev.cairn.goals.Task;
import dev.cairn.runs.AuditLevel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cairn task reset GOAL TASK}. */
@Command(name = "task", description = "Repair one task of a goal.", subcommands = TaskCommand.Reset.class)
final class TaskCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(root.out());
        return ExitCodes.OK;
    }

    /** {@code cairn task reset GOAL TASK}. */
    @Command(name = "reset", description = {"Put a running or failed task back to pending, its retry count kept.",
        "A running task's claim is voided: its worker's heartbeats and completion are refused from then on."})
    static final class Reset implements Callable<Integer> {
        @ParentCommand
        TaskCommand parent;

        @Parameters(index = "0", paramLabel = "GOAL", description = "The goal's id.")
        String goal;

        @Parameters(index = "1", paramLabel = "TASK", description = "The task's id within the goal.")
        String task;

        @Mixin
        Repair.Reason reason;

        @Mixin
        Repair.Options options;

        @Override
        public Integer call() {
            String goalId = goal.strip();
            String taskId = task.strip();
            String why = reason.or("task reset " + goalId + " " + taskId);
            return Repair.run(parent.root, options, "task reset", AuditLevel.INFO, tx -> {
                Task before = tx.goals().tasks().get(goalId, taskId);
                Task after = tx.goals().tasks().resetTask(goalId, taskId, why);
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("goalId", goalId);
                fields.put("taskId", taskId);
                fields.put("from", before.status().storedName());
                fields.put("to", after.status().storedName());
                fields.put("previousOwner", before.owner());
                fields.put("retryCount", after.retryCount());
                fields.put("reason", why);
                return new Repair.Outcome("task " + taskId + " of goal " + goalId, "reset", before.status() + " → "
                        + after.status() + (before.owner() != null ? ", taken from " + before.owner() : "")
                        + ", retries used " + after.retryCount() + "/" + after.maxRetries(), fields);
            });
        }
    }
}
