package dev.cairn.goals;

import dev.cairn.Cairn;
import dev.cairn.ConflictException;
import dev.cairn.Owner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The child side of the goal store's multi-process tests. It opens the store, prints {@code ready}, waits for a line
 * on stdin (so every child acts at the same moment), acts, prints what it got, and stays alive until stdin closes
 * (so a winner is still alive when the others look at it).
 *
 * <ul>
 *   <li>{@code slice DB GOAL SLICE PATH...}: prints claimed, held or overlap
 *   <li>{@code tasks DB GOAL OWNER}: claims tasks until none is ready; prints {@code task ID} for each
 *   <li>{@code controller DB GOAL}: prints won or lost
 *   <li>{@code complete DB GOAL TASK TOKEN}: completes the task under that claim; prints completed or conflict
 * </ul>
 */
public final class GoalProcessMain {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        try (Cairn db = Cairn.builder().location(args[1]).busyTimeout(Duration.ofSeconds(60)).open()) {
            GoalStore goals = db.goals();
            String goal = args[2];
            System.out.println("ready");
            System.out.flush();
            in.readLine();
            switch (args[0]) {
                case "slice" -> {
                    List<String> paths = Arrays.asList(args).subList(4, args.length);
                    ClaimResult result = goals.leases().tryClaim(goal, args[3], Owner.current(), "worker", paths);
                    System.out.println(result instanceof ClaimResult.Claimed ? "claimed"
                            : result instanceof ClaimResult.SliceHeld ? "held" : "overlap");
                }
                case "tasks" -> {
                    Optional<TaskClaim> claim;
                    while ((claim = goals.tasks().claimTask(goal, args[3], Duration.ofMinutes(5))).isPresent()) {
                        System.out.println("task " + claim.get().taskId());
                    }
                }
                case "complete" -> {
                    TaskClaim claim = new TaskClaim(goals.tasks().get(goal, args[3]), args[4]);
                    try {
                        goals.tasks().complete(claim, List.of("done by " + ProcessHandle.current().pid()));
                        System.out.println("completed");
                    } catch (ConflictException e) {
                        System.out.println("conflict");
                    }
                }
                case "controller" -> System.out.println(goals.claimController(goal, Owner.current()).isPresent()
                        ? "won" : "lost");
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("done");
            System.out.flush();
        }
        while (in.readLine() != null) {
            // hold on until the test lets go
        }
    }
}
