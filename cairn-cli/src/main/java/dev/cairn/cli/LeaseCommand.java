package dev.cairn.cli;

import dev.cairn.goals.SliceLease;
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

/** {@code cairn lease release LEASE_ID}. */
@Command(name = "lease", description = "Repair one slice lease.", subcommands = LeaseCommand.Release.class)
final class LeaseCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(root.out());
        return ExitCodes.OK;
    }

    /** {@code cairn lease release LEASE_ID}. */
    @Command(name = "release", description = {"Release an active slice lease, whoever holds it, so that its slice "
            + "may be claimed again.", "Its owner's heartbeats are refused from then on."})
    static final class Release implements Callable<Integer> {
        @ParentCommand
        LeaseCommand parent;

        @Parameters(paramLabel = "LEASE_ID", description = "The lease's id, as 'cairn leases' lists it.")
        long leaseId;

        @Mixin
        Repair.Reason reason;

        @Mixin
        Repair.Options options;

        @Override
        public Integer call() {
            String why = reason.or("lease release " + leaseId);
            return Repair.run(parent.root, options, "lease release", AuditLevel.INFO, tx -> {
                SliceLease released = tx.goals().leases().revoke(leaseId, why);
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("lease", GoalViews.json(released, tx.sharedNow()));
                fields.put("reason", why);
                return new Repair.Outcome("lease " + leaseId, "released", "slice " + released.sliceId()
                        + " of goal " + released.goalId() + ", held by " + released.owner().id() + " (host "
                        + released.owner().host() + ", pid " + released.owner().pid() + "), last heartbeat "
                        + GoalViews.age(released.heartbeatAt(), tx.sharedNow()), fields);
            });
        }
    }
}
