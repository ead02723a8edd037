package dev.cairn.imports.omk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.InvalidInputException;
import dev.cairn.events.EventData;
import dev.cairn.goals.Budget;
import dev.cairn.goals.BudgetUse;
import dev.cairn.goals.DecisionSpec;
import dev.cairn.goals.DeliveryPolicy;
import dev.cairn.goals.GateResult;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalSpec;
import dev.cairn.goals.GoalStatus;
import dev.cairn.goals.MergePolicy;
import dev.cairn.goals.Money;
import dev.cairn.goals.ProofSpec;
import dev.cairn.goals.Task;
import dev.cairn.goals.TaskSpec;
import dev.cairn.goals.TaskStatus;
import dev.cairn.goals.internal.GoalImports;
import dev.cairn.imports.omk.OmkGoalReport;
import dev.cairn.imports.omk.OmkImportProblem;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads one omk goal directory and checks it as omk's own readers and {@code GoalTaskGraph::validate()} would, turning
 * each file into the records Cairn stores; nothing is written. The first problem found ends the scan with the file,
 * the line and what is wrong. docs/imports.md has the mapping field by field.
 */
final class GoalScanner {
    /** The version of this mapping: part of every import's digest, so a changed mapping is not taken for the same. */
    static final String FORMAT = "omk-import/1";

    private static final Set<String> GOAL_KEYS = Set.of("version", "goal_id", "original_goal", "normalized_goal",
            "status", "phase", "created_at", "updated_at", "completed_at", "until_ready", "budget_time",
            "budget_tokens", "budget_usd", "max_agents", "cost_tracker_path", "terminal_criteria", "delivery_policy",
            "merge_policy", "slice_execution", "artifacts", "failure", "state_dir", "recovery_attempts");
    private static final Set<String> TASK_KEYS = Set.of("id", "title", "description", "status", "owner_role",
            "completed_at", "evidence", "retry_count", "max_retries", "lease_expires_at", "dependencies", "read_set",
            "write_set", "risk", "acceptance", "delivery");
    /** Proof keys kept in the proof's columns; everything else of proof.json goes to its details. */
    private static final Set<String> PROOF_COLUMNS = Set.of("status", "readiness", "summary", "changed_files",
            "commits", "post_mutation_gates_ran", "known_gaps", "human_decisions_required");
    private static final Set<String> CHECKPOINT_KEYS = Set.of("version", "goal_id", "label", "status", "phase",
            "recorded_at", "budget_time", "total_budget_secs", "elapsed_since_created_secs", "remaining_budget_secs",
            "budget_tokens", "used_tokens", "remaining_budget_tokens", "budget_usd", "estimated_cost_usd",
            "remaining_budget_usd");
    private static final Set<String> DECISION_KEYS = Set.of("version", "goal_id", "created_at", "actor", "phase",
            "kind", "decision", "rationale", "constraints", "artifacts");
    /** The files whose content the import takes in as records, not as artifacts. */
    private static final Set<String> DATA_FILES = Set.of("goal.json", "task-graph.json", "proof.json",
            "events.jsonl", "event-log.jsonl", "budget-checkpoints.jsonl", "decisions.jsonl", "cost.jsonl");

    private final Path stateDir;
    private final ScannedGoal goal;
    private final Path goalDir;
    private final boolean acceptTruncated;
    private final OmkDb db;
    private final String artifactBase;
    private final MessageDigest digest = Digests.sha256();
    /** Lease traces of the event log, by omk lease id, in the order they were claimed. */
    private final Map<String, ScannedGoal.LeaseImport> traces = new LinkedHashMap<>();
    private String recordedStateDir = "";
    /** The lines of goal.json's values, for problems found after it was read. */
    private Map<String, Integer> goalLines = Map.of();

    /**
     * @param stateDir omk's state directory, real (symbolic links resolved)
     * @param artifactBase the absolute directory the artifacts will be registered in (for the digest)
     */
    GoalScanner(Path stateDir, String goalId, boolean acceptTruncated, OmkDb db, String artifactBase) {
        this.stateDir = stateDir;
        this.goal = new ScannedGoal(goalId);
        this.goalDir = stateDir.resolve("goals").resolve(goalId);
        this.acceptTruncated = acceptTruncated;
        this.db = db;
        this.artifactBase = artifactBase;
    }

    ScannedGoal scan() throws BrokenGoal, IOException {
        Digests.part(digest, "format", FORMAT);
        JsonNode goalJson = readGoalJson();
        readTaskGraph();
        JsonNode proofJson = readProof();
        readCheckpoints();
        readDecisions();
        readCosts(goalJson);
        scanEvents();
        String kind = proofJson != null && proofJson.path("oracle_evidence").path("kind").isTextual()
                ? proofJson.get("oracle_evidence").get("kind").textValue() : null;
        buildGoal(goalJson, kind);
        collectArtifacts(goalJson);
        controllerAndLeases();
        Digests.part(digest, "artifact-base", artifactBase);
        goal.digest = HexFormat.of().formatHex(digest.digest());
        return goal;
    }

    // ---------------------------------------------------------------- goal.json

    private JsonNode readGoalJson() throws BrokenGoal, IOException {
        Path file = goalDir.resolve("goal.json");
        if (!Files.isRegularFile(file)) {
            throw BrokenGoal.in(goal.file("goal.json"), "goal.json is missing: the directory holds no omk goal");
        }
        OmkJson.Document document = document(file, "goal.json");
        Node root = Node.root(document);
        root.requireObject();
        String id = root.nonBlank("goal_id");
        if (!id.equals(goal.goalId)) {
            throw root.broken("goal_id", "goal_id '" + id + "' is not the name of its directory, " + goal.goalId);
        }
        for (String key : iterable(root.json.fieldNames())) {
            if (!GOAL_KEYS.contains(key)) {
                goal.notes.add("goal-key:" + key, "goal.json key '" + key + "' is not one omk writes: kept in "
                        + "goal.imported's copy of goal.json (Cairn has no column for it)", null);
            }
        }
        recordedStateDir = root.optionalText("state_dir") == null ? "" : root.optionalText("state_dir");
        goal.record.set("goal", root.json);
        return root.json;
    }

    private void buildGoal(JsonNode goalJson, String kind) throws BrokenGoal, IOException {
        Node root = Node.root(new OmkJson.Document(goal.file("goal.json"), goalJson, goalLines));
        GoalStatus status = status(root, "status");
        GoalPhase phase = root.json.has("phase") ? phase(root, "phase") : GoalPhase.INTAKE;
        Instant created = root.time("created_at");
        Instant updated = root.time("updated_at");
        Instant completed = root.optionalTime("completed_at");
        for (String name : List.of("created_at", "updated_at", "completed_at")) {
            Instant t = root.optionalTime(name);
            if (t != null && OmkTime.finerThanMillis(t)) {
                goal.notes.add("goal-times", "goal.json times finer than a millisecond: Cairn's columns keep the "
                        + "millisecond, goal.imported keeps goal.json's text", null);
            }
        }
        if (!status.isTerminal() && completed != null) {
            goal.notes.add("completed_at on a " + status + " goal (omk sets it when a step finishes, not only when "
                    + "the goal ends): not its completion time in Cairn, kept in goal.imported");
            completed = null;
        } else if (status.isTerminal() && completed == null) {
            goal.notes.add("no completed_at on a " + status + " goal: its updated_at stands in");
            completed = updated;
        }
        Budget budget = budget(root);
        DeliveryPolicy delivery = DeliveryPolicy.LOCAL;
        if (root.has("delivery_policy")) {
            String text = root.text("delivery_policy");
            try {
                delivery = DeliveryPolicy.fromStored(text.replace('-', '_'));
            } catch (InvalidInputException e) {
                throw root.broken("delivery_policy", "unknown delivery_policy '" + text + "'; omk writes local, "
                        + "draft-pr or auto-pr");
            }
        }
        MergePolicy merge = MergePolicy.DISABLED;
        if (root.has("merge_policy")) {
            String text = root.text("merge_policy");
            try {
                merge = MergePolicy.fromStored(text);
            } catch (InvalidInputException e) {
                throw root.broken("merge_policy", "unknown merge_policy '" + text + "'; omk writes disabled, manual "
                        + "or gated");
            }
        }
        long maxAgents = root.optionalCount("max_agents") == null ? 1 : root.optionalCount("max_agents");
        if (maxAgents < 1 || maxAgents > Integer.MAX_VALUE) {
            goal.notes.add("max_agents " + maxAgents + " is not a number of agents Cairn takes: stored as 1");
            maxAgents = 1;
        }
        String criteria = terminalCriteria(root);
        String failure = null;
        Node failureNode = root.optional("failure");
        if (failureNode != null) {
            failureNode.requireObject();
            failureNode.text("reason");
            failureNode.time("recorded_at");
            failure = OmkJson.write(failureNode.json);
        }
        String original = root.text("original_goal");
        String normalized = root.text("normalized_goal");
        if (original.isBlank()) {
            if (normalized.isBlank()) {
                throw root.broken("original_goal", "original_goal and normalized_goal are blank: the goal has no text");
            }
            original = normalized;
            goal.notes.add("original_goal is blank: the normalized text stands in");
        }
        String projectDir = goal.record.path("projectDir").path("path").asText(null);
        GoalSpec spec;
        try {
            spec = GoalSpec.of(goal.goalId, original, projectDir).withNormalizedText(normalized)
                    .withKind(kind).withPhase(phase).withPolicies(delivery, merge)
                    .withExecution(root.bool("until_ready", false), root.bool("slice_execution", false),
                            (int) maxAgents).withBudget(budget).withTerminalCriteria(criteria);
        } catch (InvalidInputException e) {
            throw root.broken("goal_id", e.getMessage());
        }
        goal.goal = new Goal(spec.id(), spec.originalText(), spec.normalizedText(), spec.kind(), spec.projectDir(),
                status, spec.phase(), spec.deliveryPolicy(), spec.mergePolicy(), spec.untilReady(),
                spec.sliceExecution(), spec.maxAgents(), spec.budget(), spec.terminalCriteria(), failure, null, null,
                created, updated, completed, 1);
        if (kind != null) {
            goal.notes.add("kind '" + kind + "': the kind of the proof's oracle evidence");
        }
    }

    private Budget budget(Node root) throws BrokenGoal {
        Long seconds = null;
        String time = root.optionalText("budget_time");
        if (time != null) {
            seconds = OmkTime.seconds(time);
            if (seconds == null) {
                goal.notes.add("budget_time '" + time + "' does not read as a duration: no time limit in Cairn (the "
                        + "text stays in goal.imported)");
            }
        }
        Money money = null;
        BigDecimal usd = root.optionalDollars("budget_usd");
        if (usd != null) {
            money = dollars("budget_usd", usd, "goal.json");
        }
        return new Budget(seconds, root.optionalCount("budget_tokens"), money);
    }

    /** Dollars as cents, half up from the decimal text; a rounding that changed the amount is reported. */
    private Money dollars(String name, BigDecimal usd, String where) {
        Money money = Money.ofDollars(usd);
        if (money.dollars().compareTo(usd) != 0) {
            goal.notes.add("round:" + name + ":" + where, name + " in " + where + " rounded half up to whole cents",
                    usd.toPlainString() + " -> " + money.cents() + " cents");
        }
        return money;
    }

    private String terminalCriteria(Node root) throws BrokenGoal {
        Node criteria = root.optional("terminal_criteria");
        if (criteria == null) {
            if (root.json.has("terminal_criteria")) {
                throw root.broken("terminal_criteria", "terminal_criteria is null; omk writes an object");
            }
            ObjectNode defaults = OmkJson.object();
            defaults.put("proof_required", true).put("gates_required", true).put("human_blockers_stop", true);
            return OmkJson.write(defaults);
        }
        criteria.requireObject();
        for (String name : List.of("proof_required", "gates_required", "human_blockers_stop")) {
            if (!criteria.json.path(name).isBoolean()) {
                throw criteria.broken(name, "terminal_criteria." + name + " must be true or false");
            }
        }
        return OmkJson.write(criteria.json);
    }

    // ---------------------------------------------------------------- task-graph.json

    private void readTaskGraph() throws BrokenGoal, IOException {
        Path file = goalDir.resolve("task-graph.json");
        if (!Files.isRegularFile(file)) {
            goal.notes.add("task-graph.json is missing: the goal has no tasks");
            Digests.part(digest, "task-graph.json", "absent");
            return;
        }
        OmkJson.Document document = document(file, "task-graph.json");
        Node root = Node.root(document);
        root.requireObject();
        if (root.count("version") == 0) {
            throw root.broken("version", "task graph version must be greater than 0");
        }
        String id = root.nonBlank("goal_id");
        if (!id.equals(goal.goalId)) {
            throw root.broken("goal_id", "the task graph names goal '" + id + "', not " + goal.goalId);
        }
        Instant generated = root.time("generated_at");
        ObjectNode extras = OmkJson.object();
        Map<String, Node> byId = new LinkedHashMap<>();
        List<Node> tasks = root.field("tasks").elements();
        for (Node task : tasks) {
            task.requireObject();
            String taskId = task.text("id");
            if (taskId.isBlank()) {
                throw task.broken("id", "a task has a blank id");
            }
            if (byId.put(taskId, task) != null) {
                throw task.broken("id", "duplicate task id: " + taskId);
            }
        }
        Map<String, List<String>> graph = new LinkedHashMap<>();
        int position = 0;
        for (Node task : tasks) {
            String taskId = task.text("id");
            String title = task.nonBlank("title");
            String description = task.nonBlank("description");
            TaskStatus status = switch (task.text("status")) {
                case "pending" -> TaskStatus.PENDING;
                case "blocked" -> TaskStatus.BLOCKED;
                case "done" -> TaskStatus.DONE;
                default -> throw task.broken("status", "task " + taskId + " has unknown status '"
                        + task.text("status") + "'; omk writes pending, blocked or done");
            };
            List<String> dependencies = task.strings("dependencies", true);
            for (int i = 0; i < dependencies.size(); i++) {
                String dependency = dependencies.get(i);
                long line = document.line(task.pointer + "/dependencies/" + i);
                if (dependency.equals(taskId)) {
                    throw BrokenGoal.at(task.file(), line, "task " + taskId + " depends on itself");
                }
                if (!byId.containsKey(dependency)) {
                    throw BrokenGoal.at(task.file(), line, "task " + taskId + " depends on missing task "
                            + dependency);
                }
            }
            graph.put(taskId, dependencies);
            List<String> acceptance = task.strings("acceptance", true);
            if (acceptance.isEmpty()) {
                throw task.broken("acceptance", "task " + taskId + " has no acceptance criterion");
            }
            List<String> evidence = new ArrayList<>();
            for (Node item : task.json.has("evidence") ? task.field("evidence").elements() : List.<Node>of()) {
                item.text("kind");
                item.text("path");
                item.text("summary");
                evidence.add(OmkJson.write(item.json));
            }
            Instant completed = task.optionalTime("completed_at");
            Instant lease = task.optionalTime("lease_expires_at");
            if (lease != null) {
                goal.notes.add("task-lease", "task lease_expires_at set (omk never sets it): kept on the task",
                        taskId);
            }
            long retries = task.count("retry_count", 0);
            long maxRetries = task.count("max_retries", 0);
            String owner = task.optionalText("owner_role");
            TaskSpec spec;
            try {
                spec = new TaskSpec(goal.goalId, taskId, title, description, "task", task.strings("read_set", true),
                        task.strings("write_set", true), dependencies, acceptance, task.text("risk"),
                        (int) Math.min(Integer.MAX_VALUE, maxRetries));
            } catch (InvalidInputException e) {
                throw task.broken("id", e.getMessage());
            }
            Instant updated = completed != null ? completed : generated;
            goal.tasks.add(new Task(goal.goalId, taskId, position++, spec.title(), spec.description(), spec.kind(),
                    status, status == TaskStatus.DONE ? owner : null, spec.readSet(), spec.writeSet(),
                    spec.dependsOn(), spec.acceptance(), evidence, spec.risk(),
                    (int) Math.min(Integer.MAX_VALUE, retries), spec.maxRetries(), lease, null, completed, generated,
                    updated));
            ObjectNode extra = OmkJson.object();
            for (String key : List.of("owner_role", "completed_at", "lease_expires_at", "delivery")) {
                if (task.json.has(key)) {
                    extra.set(key, task.json.get(key));
                }
            }
            for (String key : iterable(task.json.fieldNames())) {
                if (!TASK_KEYS.contains(key)) {
                    extra.set(key, task.json.get(key));
                    goal.notes.add("task-key:" + key, "task key '" + key + "' is not one omk writes: kept in "
                            + "goal.imported", null);
                }
            }
            if (!extra.isEmpty()) {
                extras.set(taskId, extra);
            }
        }
        List<String> cycle = GoalImports.findCycle(graph);
        if (!cycle.isEmpty()) {
            throw root.broken("tasks", "task graph contains a dependency cycle: " + String.join(" -> ", cycle));
        }
        if (goal.tasks.stream().anyMatch(t -> t.completedAt() != null && OmkTime.finerThanMillis(t.completedAt()))) {
            goal.notes.add("task completed_at times finer than a millisecond: kept to the millisecond (goal.imported "
                    + "keeps the text)");
        }
        ObjectNode graphRecord = goal.record.putObject("taskGraph");
        graphRecord.set("version", root.json.get("version"));
        graphRecord.set("generated_at", root.json.get("generated_at"));
        graphRecord.set("tasks", extras);
        for (String key : iterable(root.json.fieldNames())) {
            if (!Set.of("version", "goal_id", "generated_at", "tasks").contains(key)) {
                graphRecord.set(key, root.json.get(key));
            }
        }
    }

    // ---------------------------------------------------------------- proof.json

    private JsonNode readProof() throws BrokenGoal, IOException {
        Path file = goalDir.resolve("proof.json");
        if (!Files.isRegularFile(file)) {
            goal.notes.add("proof.json is missing: the goal has no proof");
            Digests.part(digest, "proof.json", "absent");
            return null;
        }
        Node root = Node.root(document(file, "proof.json"));
        root.requireObject();
        String id = root.nonBlank("goal_id");
        if (!id.equals(goal.goalId)) {
            throw root.broken("goal_id", "the proof names goal '" + id + "', not " + goal.goalId);
        }
        String status = root.text("status");
        status(root, "status");
        Instant generated = root.time("generated_at");
        List<GateResult> gates = new ArrayList<>();
        for (Node gate : root.field("gates").elements()) {
            gate.requireObject();
            String name = gate.nonBlank("name");
            boolean passed = gate.bool("passed", false);
            if (!gate.json.has("passed")) {
                throw gate.broken("gate " + name + " has no 'passed'");
            }
            String command = gate.optionalText("command_line");
            String summary = gate.optionalText("stdout_summary") != null ? gate.optionalText("stdout_summary")
                    : gate.optionalText("stderr_summary");
            gates.add(new GateResult(name, command == null || command.isEmpty() ? null : command, passed, summary));
        }
        ObjectNode details = OmkJson.object();
        for (String key : iterable(root.json.fieldNames())) {
            if (!PROOF_COLUMNS.contains(key)) {
                details.set(key, root.json.get(key));
            }
        }
        goal.proof = new ProofSpec(status, root.text("readiness"), root.text("summary"), gates,
                root.strings("changed_files", true), root.strings("commits", true),
                root.bool("post_mutation_gates_ran", false), root.strings("known_gaps", true),
                root.strings("human_decisions_required", true), OmkJson.write(details));
        goal.proofGeneratedAt = generated;
        return root.json;
    }

    // ---------------------------------------------------------------- budget-checkpoints.jsonl, decisions.jsonl

    private void readCheckpoints() throws BrokenGoal, IOException {
        String name = "budget-checkpoints.jsonl";
        for (Node line : jsonLines(name)) {
            line.requireObject();
            unknownKeys(line, CHECKPOINT_KEYS, name);
            goalIdOf(line);
            String label = line.nonBlank("label");
            Long seconds = line.optionalCount("total_budget_secs");
            if (seconds == null && line.optionalText("budget_time") != null) {
                seconds = OmkTime.seconds(line.optionalText("budget_time"));
            }
            BigDecimal usd = line.optionalDollars("budget_usd");
            Budget budget = new Budget(seconds, line.optionalCount("budget_tokens"),
                    usd == null ? null : dollars("budget_usd", usd, name));
            BigDecimal spent = line.field("estimated_cost_usd").dollars("estimated_cost_usd");
            BudgetUse use = new BudgetUse(label, line.count("elapsed_since_created_secs"), line.count("used_tokens"),
                    dollars("estimated_cost_usd", spent, name));
            goal.checkpoints.add(new ScannedGoal.Checkpoint(label, status(line, "status"), phase(line, "phase"),
                    budget, use, line.time("recorded_at")));
        }
    }

    private void readDecisions() throws BrokenGoal, IOException {
        String name = "decisions.jsonl";
        for (Node line : jsonLines(name)) {
            line.requireObject();
            unknownKeys(line, DECISION_KEYS, name);
            goalIdOf(line);
            DecisionSpec spec;
            try {
                spec = new DecisionSpec(line.nonBlank("actor"), phase(line, "phase"), line.text("kind"),
                        line.nonBlank("decision"), line.text("rationale"), line.strings("constraints", true),
                        line.strings("artifacts", true));
            } catch (InvalidInputException e) {
                throw line.broken(e.getMessage());
            }
            goal.decisions.add(new ScannedGoal.DecisionRow(spec, line.time("created_at")));
        }
    }

    private void goalIdOf(Node line) throws BrokenGoal {
        String id = line.text("goal_id");
        if (!id.equals(goal.goalId)) {
            throw line.broken("goal_id", "the record names goal '" + id + "', not " + goal.goalId);
        }
    }

    private void unknownKeys(Node line, Set<String> known, String file) {
        for (String key : iterable(line.json.fieldNames())) {
            if (!known.contains(key)) {
                goal.notes.add("key:" + file + ":" + key, file + " key '" + key + "' is not one omk writes: ignored "
                        + "(the file stays in omk's directory)", "line " + line.line());
            }
        }
    }

    /** Every record of a small JSON Lines file (checkpoints, decisions), added to the digest. */
    private List<Node> jsonLines(String name) throws BrokenGoal, IOException {
        Path file = goalDir.resolve(name);
        List<Node> nodes = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            Digests.part(digest, name, "absent");
            return nodes;
        }
        try (JsonLines lines = new JsonLines(file)) {
            for (JsonLines.Line line; (line = lines.next()) != null; ) {
                if (line.tooLong()) {
                    throw BrokenGoal.at(goal.file(name), line.number(), "the line is longer than "
                            + JsonLines.MAX_LINE_CHARS + " characters");
                }
                try {
                    nodes.add(Node.line(goal.file(name), line.number(), OmkJson.line(line.text())));
                } catch (IOException e) {
                    throw BrokenGoal.at(goal.file(name), line.number(), "not valid JSON ("
                            + firstLine(e.getMessage()) + ")" + (line.terminated() ? "" : "; the line has no final "
                            + "newline: a writer was cut off"));
                }
            }
            Digests.part(digest, name, lines.digest().digest());
        }
        return nodes;
    }

    // ---------------------------------------------------------------- cost.jsonl

    private void readCosts(JsonNode goalJson) throws BrokenGoal, IOException {
        Path file = goalDir.resolve("cost.jsonl");
        String tracker = goalJson.path("cost_tracker_path").asText("");
        if (!tracker.isEmpty() && !tracker.equals(recordedStateDir + "/cost.jsonl")
                && !tracker.endsWith("/goals/" + goal.goalId + "/cost.jsonl")) {
            goal.notes.add("cost_tracker_path " + tracker + " is not the goal's own cost.jsonl on the machine omk "
                    + "ran on: read " + goal.file("cost.jsonl") + " instead");
        }
        if (!Files.isRegularFile(file)) {
            Digests.part(digest, "cost.jsonl", "absent");
            return;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Digests.part(digest, "cost.jsonl", text);
        if (text.isBlank()) {
            return;
        }
        Node root = Node.root(document(file, "cost.jsonl", text));
        int index = 0;
        for (Node entry : root.elements()) {
            entry.requireObject();
            entry.text("session_type");
            goal.costs.add(new ScannedGoal.CostRecord(index++, entry.json, entry.time("started_at")));
        }
    }

    // ---------------------------------------------------------------- events.jsonl

    private void scanEvents() throws BrokenGoal, IOException {
        String name = "events.jsonl";
        Path file = goalDir.resolve(name);
        if (!Files.isRegularFile(file) && Files.isRegularFile(goalDir.resolve("event-log.jsonl"))) {
            name = "event-log.jsonl";
            file = goalDir.resolve(name);
            goal.notes.add("no events.jsonl: read the legacy event-log.jsonl, as omk does");
        }
        Set<String> projectDirs = new LinkedHashSet<>();
        if (!Files.isRegularFile(file)) {
            goal.notes.add("events.jsonl is missing: the goal has no events");
            Digests.part(digest, "events", "absent");
        } else {
            goal.eventsFile = file;
            goal.eventsFileName = name;
            String relative = goal.file(name);
            EventMapping.Context context = new EventMapping.Context(goal.goalId, Map.of(), goal.notes);
            try (JsonLines lines = new JsonLines(file)) {
                for (JsonLines.Line line; (line = lines.next()) != null; ) {
                    if (line.tooLong()) {
                        throw BrokenGoal.at(relative, line.number(), "the line is longer than "
                                + JsonLines.MAX_LINE_CHARS + " characters");
                    }
                    JsonNode json;
                    try {
                        json = OmkJson.line(line.text());
                    } catch (IOException e) {
                        if (!line.terminated()) {
                            if (acceptTruncated) {
                                goal.notes.add("the last line of " + name + " (line " + line.number() + ", "
                                        + line.text().length() + " characters) is cut off: left out, its "
                                        + goal.events + " complete lines imported");
                                break;
                            }
                            throw new BrokenGoal(OmkImportProblem.Kind.TRUNCATED, relative, line.number(),
                                    "the last line is cut off (no final newline, and its JSON ends early: a writer "
                                            + "was killed or the disk filled up); the " + goal.events
                                            + " lines before it are complete");
                        }
                        throw BrokenGoal.at(relative, line.number(), "not valid JSON ("
                                + firstLine(e.getMessage()) + ")");
                    }
                    OmkEvent event = OmkEvent.parse(Node.line(relative, line.number(), json));
                    EventData data;
                    try {
                        data = EventMapping.toCairn(event, context);
                    } catch (EventMapping.Unmappable e) {
                        throw BrokenGoal.at(relative, line.number(), e.getMessage().substring(
                                e.getMessage().indexOf(": ") + 2));
                    }
                    goal.eventTypes.merge(data.type(), 1L, Long::sum);
                    goal.events++;
                    goal.lastEventLine = line.number();
                    trace(event, relative, projectDirs);
                }
                // The bytes past a cut-off line were not all read: finish reading, so the digest is the file's.
                while (lines.next() != null) {
                    // nothing: only the digest wants them
                }
                goal.eventsDigest = lines.digest().digest();
            }
            Digests.part(digest, "events", goal.eventsDigest);
            Digests.part(digest, "events-last-line", Long.toString(goal.lastEventLine));
        }
        ObjectNode project = goal.record.putObject("projectDir");
        if (!projectDirs.isEmpty()) {
            project.put("path", projectDirs.iterator().next());
            project.put("from", "run_started events");
            goal.projectDirFrom = OmkGoalReport.ProjectDirSource.RUN_STARTED_EVENTS;
            if (projectDirs.size() > 1) {
                goal.notes.add("run_started events name " + projectDirs.size() + " project directories: the first, "
                        + projectDirs.iterator().next() + ", is the goal's (all: " + String.join(", ", projectDirs)
                        + ")");
            }
        } else {
            project.put("path", goalDir.toString());
            project.put("from", "omk goal directory");
            goal.projectDirFrom = OmkGoalReport.ProjectDirSource.GOAL_DIRECTORY;
        }
    }

    /** The project directory of run_started events, and the lease events' traces. */
    private void trace(OmkEvent event, String file, Set<String> projectDirs) {
        JsonNode p = event.payload();
        if (p == null || !p.isObject()) {
            return;
        }
        switch (event.kind()) {
            case "run_started" -> {
                if (p.path("project_dir").isTextual() && !p.get("project_dir").textValue().isBlank()) {
                    projectDirs.add(p.get("project_dir").textValue());
                }
            }
            case "slice.lease.claimed" -> {
                if (p.path("lease_id").isTextual() && p.path("slice_id").isTextual()
                        && p.path("pid").canConvertToLong()) {
                    List<String> writeSet = new ArrayList<>();
                    p.path("write_set").forEach(path -> writeSet.add(path.asText()));
                    traces.put(p.get("lease_id").textValue(), new ScannedGoal.LeaseImport(p.get("lease_id").textValue(),
                            p.get("slice_id").textValue(), p.get("pid").longValue(), p.path("role").asText(null),
                            writeSet, event.ts(), event.ts(), null, null, "events"));
                }
            }
            case "slice.lease.released", "slice.lease.expired" -> {
                ScannedGoal.LeaseImport lease = traces.get(p.path("lease_id").asText(""));
                if (lease == null) {
                    goal.notes.add("lease-end-unclaimed", event.kind() + " events of leases whose claim is not in the "
                            + "log: kept as events, no lease rebuilt from them", file + " line " + event.line());
                    return;
                }
                boolean released = event.kind().endsWith("released");
                Instant at = !released && p.path("expired_at_unix").canConvertToLong()
                        ? Instant.ofEpochSecond(p.get("expired_at_unix").longValue()) : event.ts();
                traces.put(lease.omkId(), new ScannedGoal.LeaseImport(lease.omkId(), lease.sliceId(),
                        lease.ownerPid(), lease.ownerRole(), lease.writeSet(), lease.claimedAt(), lease.heartbeatAt(),
                        released ? at : lease.releasedAt(), released ? lease.expiredAt() : at, lease.from()));
            }
            default -> {
                // no trace
            }
        }
    }

    // ---------------------------------------------------------------- artifacts

    private void collectArtifacts(JsonNode goalJson) throws BrokenGoal, IOException {
        Node root = Node.root(new OmkJson.Document(goal.file("goal.json"), goalJson, goalLines));
        Set<String> listed = new LinkedHashSet<>();
        for (Node entry : root.json.has("artifacts") ? root.field("artifacts").elements() : List.<Node>of()) {
            entry.requireObject();
            String kind = entry.nonBlank("kind");
            String path = entry.text("path");
            Instant created = entry.time("created_at");
            String relative = inStateDir(path);
            if (relative == null) {
                goal.notes.add("artifact-outside", "artifacts whose path lies outside omk's state directory: not "
                        + "registered (goal.imported's copy of goal.json keeps the entry)", kind + " " + path);
                continue;
            }
            listed.add(relative);
            addArtifact(kind, relative, created);
        }
        for (Path file : files()) {
            String inGoal = goalDir.relativize(file).toString().replace('\\', '/');
            String fileName = file.getFileName().toString();
            if (fileName.startsWith(".") && fileName.contains(".tmp.")) {
                goal.notes.add("tmp", "temporary files a crashed omk write left behind: ignored", inGoal);
                continue;
            }
            if (DATA_FILES.contains(inGoal) || listed.contains(goal.dir + "/" + inGoal)) {
                continue;
            }
            addArtifact(kindOf(inGoal), goal.dir + "/" + inGoal,
                    Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant());
        }
        for (ScannedGoal.ArtifactFile a : goal.artifacts) {
            Digests.part(digest, "artifact", a.kind() + "\n" + a.path() + "\n" + a.size() + "\n" + a.sha256());
        }
    }

    /**
     * The goal directory's files (and links), in path order. {@code worktrees/} is not entered: it holds git checkouts
     * of the project, which can be large and are not goal state.
     */
    private List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(goalDir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir,
                    java.nio.file.attribute.BasicFileAttributes attributes) {
                if (dir.equals(goalDir.resolve("worktrees"))) {
                    goal.notes.add("worktrees/ holds git checkouts of the project, not goal state: not imported");
                    return java.nio.file.FileVisitResult.SKIP_SUBTREE;
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file,
                    java.nio.file.attribute.BasicFileAttributes attributes) {
                if (!attributes.isDirectory()) {
                    files.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        return files;
    }

    private void addArtifact(String kind, String relative, Instant created) throws IOException {
        Path file = stateDir.resolve(relative);
        if (!Files.exists(file)) {
            goal.notes.add("artifact-missing", "artifacts goal.json lists whose file is gone: registered without "
                    + "size or checksum", relative);
            goal.artifacts.add(new ScannedGoal.ArtifactFile(kind, relative, null, null, null, mime(relative),
                    created));
            return;
        }
        Path real = file.toRealPath();
        if (!real.startsWith(stateDir)) {
            goal.notes.add("artifact-link", "artifacts that are links leading out of omk's state directory: not "
                    + "registered", relative);
            return;
        }
        if (Files.isDirectory(real)) {
            // omk lists an agent run by its directory; the files in it are registered one by one as well.
            goal.artifacts.add(new ScannedGoal.ArtifactFile(kind, relative, null, null, null, "inode/directory",
                    created));
            return;
        }
        if (!Files.isRegularFile(real)) {
            goal.notes.add("artifact-special", "artifacts that are neither files nor directories: not registered",
                    relative);
            return;
        }
        Digests.FileDigest d = Digests.file(real);
        goal.artifacts.add(new ScannedGoal.ArtifactFile(kind, relative, real, d.size(), d.sha256(), mime(relative),
                created));
    }

    /**
     * A path of goal.json's artifact list as a path relative to the state directory, or null when it lies outside:
     * relative paths are the goal directory's; an absolute path under the state_dir omk recorded is moved to where
     * the goal is now (omk does the same for state_dir itself).
     */
    private String inStateDir(String path) {
        String unified = path.replace('\\', '/');
        Path resolved;
        if (unified.startsWith("/")) {
            if (!recordedStateDir.isEmpty() && unified.startsWith(recordedStateDir + "/")) {
                resolved = goalDir.resolve(unified.substring(recordedStateDir.length() + 1));
                goal.notes.add("rehome", "absolute artifact paths under the state_dir omk recorded: read from the "
                        + "goal's directory here", path);
            } else {
                resolved = Path.of(unified);
            }
        } else {
            resolved = goalDir.resolve(unified);
        }
        Path normal = resolved.normalize();
        if (!normal.startsWith(stateDir) || normal.equals(stateDir)) {
            return null;
        }
        return stateDir.relativize(normal).toString().replace('\\', '/');
    }

    /** The kind of a file goal.json does not list, from where omk writes it (section 3 of the format reference). */
    static String kindOf(String inGoal) {
        String name = inGoal.substring(inGoal.lastIndexOf('/') + 1);
        if (inGoal.startsWith("artifacts/gates/")) {
            return "gate_log";
        } else if (inGoal.startsWith("artifacts/agent-runs/")) {
            return "agent_run";
        } else if (inGoal.startsWith("artifacts/reviews/")) {
            return name.contains("security") ? "security_review" : "review";
        } else if (inGoal.startsWith("artifacts/integration/")) {
            return name.startsWith("integrator-accept") ? "integration_acceptance"
                    : name.startsWith("integrator-reject") ? "integration_rejection"
                    : name.startsWith("rollback") ? "integration_rollback_plan"
                    : name.startsWith("merge-conflict") ? "merge_conflict" : "integration";
        } else if (inGoal.startsWith("artifacts/policy/")) {
            return "policy_blocker";
        } else if (inGoal.startsWith("artifacts/oracles/")) {
            return "oracle";
        } else if (inGoal.equals("failure.json")) {
            return "failure_state";
        } else if (inGoal.equals("integrator-metadata.json")) {
            return "integrator_metadata";
        } else if (inGoal.equals("stagnation_history.jsonl")) {
            return "stagnation_history";
        } else if (inGoal.startsWith("checkpoints/")) {
            return "recovery_checkpoint";
        }
        return name.endsWith(".md") ? "document" : "file";
    }

    static String mime(String path) {
        String name = path.toLowerCase(Locale.ROOT);
        return name.endsWith(".md") ? "text/markdown" : name.endsWith(".json") ? "application/json"
                : name.endsWith(".jsonl") ? "application/x-ndjson" : name.endsWith(".log") ? "text/plain"
                : name.endsWith(".diff") || name.endsWith(".patch") ? "text/x-diff"
                : name.endsWith(".sh") ? "text/x-shellscript" : name.endsWith(".txt") ? "text/plain" : null;
    }

    // ---------------------------------------------------------------- controller and leases

    private void controllerAndLeases() throws BrokenGoal {
        OmkDb.GoalRow row = db.goals.get(goal.goalId);
        if (row != null) {
            Digests.part(digest, "omk.db goal", row.toString());
            if (row.status() != null && !row.status().equals(goal.goal.status().storedName())) {
                goal.notes.add("omk.db says status '" + row.status() + "', goal.json '" + goal.goal.status()
                        + "': goal.json's kept (omk reads goal.json first)");
            }
            if (row.controllerPid() != null) {
                goal.controllerPid = row.controllerPid();
                goal.controllerHeartbeat = row.heartbeatAt();
                goal.notes.add("controller pid " + row.controllerPid() + " from omk.db: recorded as an imported owner "
                        + "that is not alive, so the goal can be taken over at once");
            }
        }
        Map<String, ScannedGoal.LeaseImport> leases = new LinkedHashMap<>(traces);
        for (OmkDb.LeaseRow l : db.leases.getOrDefault(goal.goalId, List.of())) {
            Digests.part(digest, "omk.db lease", l.toString());
            List<String> writeSet = new ArrayList<>();
            try {
                OmkJson.line(l.writeSet() == null ? "[]" : l.writeSet()).forEach(p -> writeSet.add(p.asText()));
            } catch (IOException e) {
                goal.notes.add("omk.db lease " + l.leaseId() + " has a write_set that is not JSON: imported without "
                        + "paths");
            }
            ScannedGoal.LeaseImport traced = leases.get(l.leaseId());
            // The events carry sub-second times; omk.db knows the last heartbeat, and ends the events may lack.
            leases.put(l.leaseId(), new ScannedGoal.LeaseImport(l.leaseId(), l.sliceId(), l.ownerPid(),
                    l.ownerRole(), traced != null ? traced.writeSet() : writeSet,
                    traced != null ? traced.claimedAt() : l.claimedAt(),
                    latest(l.heartbeatAt(), traced != null ? traced.claimedAt() : l.claimedAt()),
                    traced != null && traced.releasedAt() != null ? traced.releasedAt() : l.releasedAt(),
                    traced != null && traced.expiredAt() != null ? traced.expiredAt() : l.expiredAt(),
                    traced != null ? "events and omk.db" : "omk.db"));
        }
        // One active lease per slice, as Cairn's index demands: a lease left open when the next claim of its slice
        // came (omk's own UNIQUE did not stop that) ended there.
        List<ScannedGoal.LeaseImport> ordered = leases.values().stream()
                .sorted(java.util.Comparator.comparing(ScannedGoal.LeaseImport::claimedAt)).toList();
        Map<String, Integer> open = new HashMap<>();
        List<ScannedGoal.LeaseImport> result = new ArrayList<>(ordered);
        for (int i = 0; i < result.size(); i++) {
            ScannedGoal.LeaseImport lease = result.get(i);
            Integer previous = open.get(lease.sliceId());
            if (previous != null) {
                ScannedGoal.LeaseImport before = result.get(previous);
                if (before.releasedAt() == null && before.expiredAt() == null) {
                    result.set(previous, new ScannedGoal.LeaseImport(before.omkId(), before.sliceId(),
                            before.ownerPid(), before.ownerRole(), before.writeSet(), before.claimedAt(),
                            before.heartbeatAt(), null, lease.claimedAt(), before.from()));
                    goal.notes.add("lease " + before.omkId() + " was never released or expired before "
                            + lease.omkId() + " claimed its slice: recorded as expired at that claim");
                }
            }
            open.put(lease.sliceId(), i);
        }
        for (ScannedGoal.LeaseImport lease : result) {
            if (lease.releasedAt() == null && lease.expiredAt() == null) {
                goal.notes.add("lease-held", "leases still held when omk's records end: imported active, their owner "
                        + "an imported process that no longer heartbeats, so expiring stale leases frees the slice",
                        lease.omkId() + " (pid " + lease.ownerPid() + ")");
            }
        }
        goal.leases.addAll(result);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    // ---------------------------------------------------------------- helpers

    private GoalStatus status(Node node, String name) throws BrokenGoal {
        String text = node.text(name);
        try {
            return GoalStatus.fromStored(text);
        } catch (InvalidInputException e) {
            throw node.broken(name, "unknown goal status '" + text + "', expected one of " + Arrays.stream(
                    GoalStatus.values()).map(GoalStatus::storedName).collect(Collectors.joining(", ")));
        }
    }

    private GoalPhase phase(Node node, String name) throws BrokenGoal {
        String text = node.text(name);
        try {
            return GoalPhase.fromStored(text);
        } catch (InvalidInputException e) {
            throw node.broken(name, "unknown goal phase '" + text + "', expected one of " + Arrays.stream(
                    GoalPhase.values()).map(GoalPhase::storedName).collect(Collectors.joining(", ")));
        }
    }

    private OmkJson.Document document(Path file, String name) throws BrokenGoal, IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Digests.part(digest, name, text);
        OmkJson.Document document = document(file, name, text);
        if (name.equals("goal.json")) {
            goalLines = document.lines();
        }
        return document;
    }

    private OmkJson.Document document(Path file, String name, String text) throws BrokenGoal {
        try {
            return OmkJson.document(goal.file(name), text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw BrokenGoal.at(goal.file(name), e.getLocation() == null ? 1 : e.getLocation().getLineNr(),
                    "not valid JSON (" + firstLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw BrokenGoal.in(goal.file(name), "not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }
}
