package dev.cairn.imports.omk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.goals.Budget;
import dev.cairn.goals.BudgetUse;
import dev.cairn.goals.DecisionSpec;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.ProofSpec;
import dev.cairn.goals.Task;
import dev.cairn.imports.omk.OmkGoalReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One omk goal as read and checked from its files, ready to be written: every record but the events, which are read
 * again from {@code events.jsonl} while they are written (a log of any length needs no more memory than one batch).
 */
final class ScannedGoal {
    record Checkpoint(String label, GoalStatus status, GoalPhase phase, Budget budget, BudgetUse use,
            Instant recordedAt) {}

    record DecisionRow(DecisionSpec spec, Instant createdAt) {}

    /** A {@code cost.jsonl} element, kept whole, with its place in the array. */
    record CostRecord(int index, JsonNode entry, Instant startedAt) {}

    /**
     * A file of the goal to register. {@code path} is relative to omk's state directory ({@code goals/ID/...});
     * {@code source} is the file itself, null when goal.json lists it but it is gone.
     */
    record ArtifactFile(String kind, String path, Path source, Long size, String sha256, String mimeType,
            Instant createdAt) {}

    /** A slice lease as rebuilt from the lease events and omk.db; active when neither released nor expired. */
    record LeaseImport(String omkId, String sliceId, long ownerPid, String ownerRole, List<String> writeSet,
            Instant claimedAt, Instant heartbeatAt, Instant releasedAt, Instant expiredAt, String from) {}

    final String goalId;
    /** The goal's directory relative to the state directory: {@code goals/ID}. */
    final String dir;
    final Notes notes = new Notes();

    Goal goal;
    OmkGoalReport.ProjectDirSource projectDirFrom;
    final List<Task> tasks = new ArrayList<>();
    ProofSpec proof;
    Instant proofGeneratedAt;
    final List<Checkpoint> checkpoints = new ArrayList<>();
    final List<DecisionRow> decisions = new ArrayList<>();
    final List<CostRecord> costs = new ArrayList<>();
    final List<ArtifactFile> artifacts = new ArrayList<>();
    final List<LeaseImport> leases = new ArrayList<>();
    /** The controller omk.db names for the goal, or null. */
    Long controllerPid;
    Instant controllerHeartbeat;

    /** The event log to read, or null when the goal has none. */
    Path eventsFile;
    String eventsFileName;
    /** The last line of the event log to import (a cut-off line after it is left out), and how many events. */
    long lastEventLine;
    long events;
    final Map<String, Long> eventTypes = new TreeMap<>();
    /** The SHA-256 of the event log's bytes as scanned; writing checks it again. */
    byte[] eventsDigest;

    /** What the goal.imported event records besides the counts: omk's own copies of what Cairn has no column for. */
    final ObjectNode record = OmkJson.object();
    /** The digest of everything imported: equal digests are the same import. */
    String digest;

    ScannedGoal(String goalId) {
        this.goalId = goalId;
        this.dir = "goals/" + goalId;
    }

    String file(String name) {
        return dir + "/" + name;
    }

    /** How many records of each kind, in the order the report shows them. */
    Map<String, Long> records() {
        Map<String, Long> records = new LinkedHashMap<>();
        records.put("tasks", (long) tasks.size());
        records.put("events", events);
        records.put("proofs", proof == null ? 0L : 1L);
        records.put("gates", proof == null ? 0L : (long) proof.gates().size());
        records.put("budgetCheckpoints", (long) checkpoints.size());
        records.put("decisions", (long) decisions.size());
        records.put("costRecords", (long) costs.size());
        records.put("artifacts", (long) artifacts.size());
        records.put("leases", (long) leases.size());
        records.put("controllers", controllerPid == null ? 0L : 1L);
        return records;
    }
}
