package dev.cairn.goals;

import dev.cairn.Cairn;
import dev.cairn.Jvm;
import dev.cairn.Owner;
import dev.cairn.StaleClaimException;
import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One host of {@link FleetTest}'s fleet: a controller thread and a worker thread sharing one store with the other
 * hosts, under one owner identity, until the parent creates the stop file (or a minute passes).
 *
 * <p>The controller claims its own goal first, then any orphaned one; it heartbeats what it holds, and for those goals
 * requeues tasks whose lease ran out and expires stale slice leases: the takeover of whatever a dead owner held. A
 * controller that was silent for over half the stale window (frozen, or starved) first records a decision on each goal
 * it held, fenced by its claim, and only then heartbeats: after a takeover that decision must be refused too. The
 * worker claims a task, leases its slice, and works in steps; each step heartbeats the lease and the claim and appends
 * a {@code fleet.step} event naming the claim's token, all in one transaction, so the execution log holds a step only
 * if the fence let it through. It completes the task (with a {@code fleet.done} event, in the same transaction) and
 * then acknowledges it in its ack file. A refused heartbeat is written to its refusal file, after which the worker
 * reports the work anyway (completing it, as a worker that kept working through a freeze would) to show that this is
 * refused too.
 *
 * <p>Arguments: {@code LOCATION LABEL HOST GOALS DIR STALE_MS}; HOST {@code -} means this host's real name (the
 * owner's pid then counts on SQLite), GOALS is comma-separated with the host's own goal first.
 */
public final class FleetMain {
    static final int STEPS = 4;
    static final long STEP_MILLIS = 150;
    static final long TICK_MILLIS = 200;
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(90);

    private final Cairn db;
    private final Owner owner;
    private final List<String> goals;
    private final Duration stale;
    private final Path dir;
    private final String label;
    private final FileOutputStream acks;
    private final FileOutputStream refusals;
    private final long started = System.nanoTime();

    private FleetMain(Cairn db, Owner owner, List<String> goals, Duration stale, Path dir, String label)
            throws IOException {
        this.db = db;
        this.owner = owner;
        this.goals = goals;
        this.stale = stale;
        this.dir = dir;
        this.label = label;
        this.acks = new FileOutputStream(dir.resolve("acks-" + label).toFile(), true);
        this.refusals = new FileOutputStream(dir.resolve("refused-" + label).toFile(), true);
    }

    public static void main(String[] args) throws Exception {
        String label = args[1];
        Owner owner = args[2].equals("-") ? Owner.of(Owner.current().host()) : Owner.of(args[2]);
        Path dir = Path.of(args[4]);
        try (Cairn db = Cairn.builder().location(args[0]).busyTimeout(Duration.ofSeconds(30)).readers(1).open()) {
            Files.writeString(dir.resolve("owner-" + label), owner.id() + "\n" + owner.host() + "\n" + owner.pid());
            FleetMain host = new FleetMain(db, owner, List.of(args[3].split(",")), Duration.ofMillis(
                    Long.parseLong(args[5])), dir, label);
            Jvm.readyThenAwait(dir.resolve("go"));
            Thread controller = new Thread(host::control, label + "-controller");
            controller.start();
            host.work();
            controller.join();
        }
    }

    private boolean running() {
        return !Files.exists(dir.resolve("stop")) && System.nanoTime() - started < MAX_NANOS;
    }

    /** The controller: keeps its goals, takes over orphans, and requeues and expires what dead owners left. */
    private void control() {
        Map<String, ControllerClaim> held = new LinkedHashMap<>();
        Map<String, Long> heardAt = new HashMap<>(); // when the store last accepted each claim, on System.nanoTime
        GoalStore store = db.goals();
        try {
            store.claimController(goals.get(0), owner, stale).ifPresent(c -> hold(held, heardAt, c));
        } catch (RuntimeException e) {
            log("claiming " + goals.get(0), e);
        }
        while (running()) {
            try {
                for (ControllerClaim claim : new ArrayList<>(held.values())) {
                    String goal = claim.goalId();
                    long silentNanos = System.nanoTime() - heardAt.get(goal);
                    if (silentNanos > stale.toNanos() / 2) {
                        // Silent for long (frozen, or starved), it goes on with its plan before it looks: a change
                        // fenced by its claim, refused if the goal was taken over meanwhile.
                        try {
                            store.fencedBy(claim).decisions().append(goal, DecisionSpec.of(owner.id(), null,
                                    "fleet", "go on after " + TimeUnit.NANOSECONDS.toMillis(silentNanos)
                                            + " ms of silence", claim.token()));
                        } catch (StaleClaimException e) {
                            refused("fenced " + goal + " " + claim.token());
                        }
                    }
                    try {
                        hold(held, heardAt, store.heartbeat(claim));
                    } catch (StaleClaimException e) {
                        held.remove(goal);
                        refused("controller " + goal + " " + claim.token());
                    }
                }
                for (Goal orphan : store.listOrphaned(stale)) {
                    store.claimController(orphan.id(), owner, stale).ifPresent(c -> hold(held, heardAt, c));
                }
                for (String goal : held.keySet()) {
                    store.tasks().requeueExpired(goal);
                }
                store.leases().expireStale(stale);
            } catch (RuntimeException e) {
                log("controlling", e);
            }
            sleep(TICK_MILLIS);
        }
    }

    private static void hold(Map<String, ControllerClaim> held, Map<String, Long> heardAt, ControllerClaim claim) {
        held.put(claim.goalId(), claim);
        heardAt.put(claim.goalId(), System.nanoTime());
    }

    /** The worker: claims tasks of every goal in turn, its own goal first, until there is nothing left. */
    private void work() {
        TaskStore tasks = db.goals().tasks();
        int next = 0;
        while (running()) {
            try {
                Optional<TaskClaim> claim = retried(tasks);
                for (int i = 0; i < goals.size() && claim.isEmpty(); i++) {
                    claim = tasks.claimTask(goals.get((next + i) % goals.size()), owner.id(), stale);
                }
                next++;
                if (claim.isEmpty()) {
                    sleep(50);
                    continue;
                }
                run(claim.get());
            } catch (RuntimeException e) {
                log("working", e);
                sleep(50);
            }
        }
    }

    /**
     * A ready task that was taken from another owner (its retry count shows it), claimed first: a dead host's work is
     * taken over before new work starts.
     */
    private Optional<TaskClaim> retried(TaskStore tasks) {
        for (String goal : goals) {
            for (Task ready : tasks.readyTasks(goal)) {
                if (ready.retryCount() > 0) {
                    Optional<TaskClaim> claim = tasks.claimTask(goal, ready.id(), owner.id(), stale);
                    if (claim.isPresent()) {
                        return claim;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Leases the task's slice, works on it in fenced steps, and completes it. */
    private void run(TaskClaim claim) {
        TaskStore tasks = db.goals().tasks();
        String goal = claim.goalId();
        String task = claim.taskId();
        ClaimResult leased = db.goals().leases().tryClaim(goal, task, owner, "worker", List.of("out/" + task));
        if (!(leased instanceof ClaimResult.Claimed got)) {
            tasks.release(claim); // a dead owner's lease still holds the slice: later, once it is expired
            return;
        }
        SliceLease lease = got.lease();
        TaskClaim current = claim;
        for (int step = 1; step <= STEPS; step++) {
            sleep(STEP_MILLIS);
            TaskClaim beat = current;
            SliceLease kept = lease;
            int number = step;
            try {
                TaskClaim[] after = new TaskClaim[1];
                SliceLease[] leaseAfter = new SliceLease[1];
                db.useTransaction(tx -> {
                    after[0] = tx.goals().tasks().heartbeat(beat, stale);
                    leaseAfter[0] = tx.goals().leases().heartbeat(kept);
                    tx.events().append(stream(goal, task), ExpectedVersion.any(), EventData.of("fleet.step",
                            payload(beat.token(), "\"step\":" + number)));
                });
                current = after[0];
                lease = leaseAfter[0];
            } catch (StaleClaimException e) {
                lost(beat, kept, e);
                return;
            }
        }
        TaskClaim done = current;
        try {
            // The log first, so that in commit order it comes before the completion that ends the claim; the
            // completion is fenced, and refused it takes the log entry with it.
            db.useTransaction(tx -> {
                tx.events().append(stream(goal, task), ExpectedVersion.any(), EventData.of("fleet.done",
                        payload(done.token(), "\"steps\":" + STEPS)));
                tx.goals().tasks().complete(done, List.of("by " + owner.id() + " under " + done.token()));
            });
        } catch (StaleClaimException e) {
            refused("complete " + goal + " " + task + " " + done.token());
            return;
        }
        ack(goal + " " + task + " " + done.token());
        db.goals().leases().release(lease);
    }

    /**
     * A step was refused: the claim or the lease was taken over while this host was silent. Records which and probes
     * the other one (recording its refusal too). A worker that lost its task then reports the work as done anyway,
     * as one that kept working through a freeze would: that must be refused as well. One that lost only the slice
     * gives the task back, since it may no longer write the task's paths.
     */
    private void lost(TaskClaim claim, SliceLease lease, StaleClaimException e) {
        String goal = claim.goalId();
        String task = claim.taskId();
        boolean taskLost = e.claimed() == StaleClaimException.Claimed.TASK;
        if (taskLost) {
            refused("task " + goal + " " + task + " " + claim.token());
            try {
                db.goals().leases().heartbeat(lease);
                db.goals().leases().release(lease);
            } catch (StaleClaimException again) {
                refused("slice " + goal + " " + task + " " + lease.id());
            }
        } else {
            refused("slice " + goal + " " + task + " " + lease.id());
            try {
                db.goals().tasks().release(claim);
                return;
            } catch (StaleClaimException again) {
                refused("task " + goal + " " + task + " " + claim.token());
            }
        }
        try {
            db.goals().tasks().complete(claim, List.of("late, by " + owner.id() + " under " + claim.token()));
            refused("BUG: a late completion was accepted: " + goal + " " + task + " " + claim.token());
        } catch (StaleClaimException late) {
            refused("complete " + goal + " " + task + " " + claim.token());
        }
    }

    static String stream(String goal, String task) {
        return "fleet:" + goal + "." + task;
    }

    private String payload(String token, String more) {
        return "{\"token\":\"" + token + "\",\"owner\":\"" + owner.id() + "\"," + more + "}";
    }

    /** One write per line, made only after the call returned: a kill cannot split it, and the kernel keeps it. */
    private void ack(String line) {
        append(acks, line);
    }

    private void refused(String line) {
        append(refusals, line);
    }

    private static synchronized void append(FileOutputStream file, String line) {
        try {
            file.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void log(String doing, RuntimeException e) {
        System.err.println(label + ": " + doing + ": " + e);
    }

    private static void sleep(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
