package dev.cairn.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * A generated omk state directory as omk 0.5 writes it (see cairn-core's test resources omk-state and docs/imports.md):
 * {@code goals} goals, each with goal.json, a five-task graph, a proof, three checkpoints and decisions, a cost array,
 * a gate log, and an events.jsonl of {@code eventsPerGoal} events of about 700 bytes (run, task, gate, heartbeat and
 * lease events, nanosecond times). Seeded, so the same arguments give the same bytes.
 */
public final class OmkStateFixture {
    private static final Instant START = Instant.parse("2026-06-01T08:00:00.123456789Z");
    private static final String FILLER = "cargo test: running 312 tests, test proxy::tests::forwards_headers ... ok, "
            + "test proxy::tests::strips_hop_by_hop ... ok, test limiter::tests::refills_after_window ... ok, "
            + "test limiter::tests::rejects_burst_over_capacity ... ok, test log::tests::emits_json ... ok, "
            + "test log::tests::redacts_authorization_headers ... ok, test config::tests::reads_limits_from_toml ... "
            + "ok; test result: ok. 312 passed; 0 failed; 0 ignored; finished in 1.93s";

    private OmkStateFixture() {}

    public static void main(String[] args) throws IOException {
        generate(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    }

    /** Writes the directory (replacing goals of the same ids); returns the bytes of all events.jsonl files. */
    public static long generate(Path stateDir, int goals, int eventsPerGoal) throws IOException {
        Random random = new Random(42);
        long eventBytes = 0;
        for (int g = 0; g < goals; g++) {
            String id = String.format(Locale.ROOT, "goal-20260601-080000-%03d-%08x", g % 1000, g);
            Path dir = stateDir.resolve("goals").resolve(id);
            Files.createDirectories(dir.resolve("artifacts").resolve("gates"));
            Instant created = START.plusSeconds(g * 3600L);
            write(dir.resolve("goal.json"), goalJson(id, created));
            write(dir.resolve("task-graph.json"), taskGraph(id, created));
            write(dir.resolve("proof.json"), proof(id, created));
            write(dir.resolve("prd.md"), "# " + id + "\n\nRate limiting for the HTTP API.\n");
            write(dir.resolve("artifacts/gates/gate-01-tests.log"), "[stdout]\n" + FILLER + "\n\n[stderr]\n\n");
            StringBuilder checkpoints = new StringBuilder();
            StringBuilder decisions = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                checkpoints.append(checkpoint(id, created.plusSeconds(i * 60L), i)).append('\n');
                decisions.append(decision(id, created, i)).append('\n');
            }
            write(dir.resolve("budget-checkpoints.jsonl"), checkpoints.toString());
            write(dir.resolve("decisions.jsonl"), decisions.toString());
            write(dir.resolve("cost.jsonl"), costs(created));
            try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("events.jsonl"), StandardCharsets.UTF_8)) {
                for (int e = 0; e < eventsPerGoal; e++) {
                    String line = event(id, created.plusNanos(e * 1_000_123_457L), e, eventsPerGoal, random);
                    out.write(line);
                    out.write('\n');
                    eventBytes += line.length() + 1;
                }
            }
        }
        return eventBytes;
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String goalJson(String id, Instant created) {
        return "{\n  \"version\": 1,\n  \"goal_id\": \"" + id + "\",\n  \"original_goal\": \"Add token-bucket rate "
                + "limiting to the HTTP API\",\n  \"normalized_goal\": \"Add token-bucket rate limiting to the HTTP "
                + "API\",\n  \"status\": \"not_ready\",\n  \"phase\": \"proof\",\n  \"created_at\": \"" + created
                + "\",\n  \"updated_at\": \"" + created.plusSeconds(600) + "\",\n  \"until_ready\": false,\n"
                + "  \"budget_time\": \"6h\",\n  \"budget_tokens\": 1500000,\n  \"budget_usd\": 12.5,\n"
                + "  \"max_agents\": 1,\n  \"terminal_criteria\": {\n    \"proof_required\": true,\n"
                + "    \"gates_required\": true,\n    \"human_blockers_stop\": true\n  },\n  \"delivery_policy\": "
                + "\"draft-pr\",\n  \"merge_policy\": \"manual\",\n  \"slice_execution\": true,\n  \"artifacts\": [\n"
                + "    {\n      \"kind\": \"prd\",\n      \"path\": \"prd.md\",\n      \"created_at\": \"" + created
                + "\"\n    }\n  ],\n  \"state_dir\": \"/home/dana/.local/state/omk/goals/" + id + "\",\n"
                + "  \"recovery_attempts\": 0\n}";
    }

    private static String taskGraph(String id, Instant created) {
        StringBuilder tasks = new StringBuilder();
        String[] ids = {"goal-intake", "goal-plan", "goal-local-verify", "goal-agent-implement-0",
            "goal-agent-implement-1"};
        for (int i = 0; i < ids.length; i++) {
            String dependency = i == 0 ? "" : "\"" + ids[Math.min(i - 1, 2)] + "\"";
            tasks.append(i == 0 ? "" : ",\n").append("    {\n      \"id\": \"").append(ids[i])
                    .append("\",\n      \"title\": \"Task ").append(i).append("\",\n      \"description\": \"Step ")
                    .append(i).append(" of the goal.\",\n      \"status\": \"").append(i < 3 ? "done" : "pending")
                    .append("\",\n      \"evidence\": [],\n      \"retry_count\": 0,\n      \"max_retries\": 0,\n")
                    .append("      \"lease_expires_at\": null,\n      \"dependencies\": [").append(dependency)
                    .append("],\n      \"read_set\": [\"prd.md\"],\n      \"write_set\": [\"src/part")
                    .append(i).append("/\"],\n      \"risk\": \"moderate\",\n      \"acceptance\": [\"it works\"]\n")
                    .append("    }");
        }
        return "{\n  \"version\": 1,\n  \"goal_id\": \"" + id + "\",\n  \"generated_at\": \"" + created
                + "\",\n  \"tasks\": [\n" + tasks + "\n  ]\n}";
    }

    private static String proof(String id, Instant created) {
        return "{\n  \"version\": 1,\n  \"goal_id\": \"" + id + "\",\n  \"status\": \"not_ready\",\n  \"readiness\": "
                + "\"not ready: agent execution evidence is missing\",\n  \"summary\": \"1 gate passed\",\n"
                + "  \"generated_at\": \"" + created.plusSeconds(300) + "\",\n  \"artifacts\": [],\n"
                + "  \"task_graph_summary\": {\"total_tasks\": 5, \"pending_tasks\": 2, \"blocked_tasks\": 0, "
                + "\"done_tasks\": 3},\n  \"changed_files\": [],\n  \"commits\": [\"41d0e7c9\"],\n  \"gates\": [\n"
                + "    {\"name\": \"tests\", \"passed\": true, \"stdout\": \"" + FILLER + "\", \"stderr\": \"\", "
                + "\"duration_ms\": 33950, \"required\": true, \"command_line\": \"cargo test\", \"exit_code\": 0, "
                + "\"timed_out\": false, \"timeout_secs\": 0}\n  ],\n  \"post_mutation_gates_ran\": false,\n"
                + "  \"known_gaps\": [\"agent execution has not run\"],\n  \"human_decisions_required\": []\n}";
    }

    private static String checkpoint(String id, Instant at, int i) {
        return "{\"version\":1,\"goal_id\":\"" + id + "\",\"label\":\"verify_completed\",\"status\":\"not_ready\","
                + "\"phase\":\"proof\",\"recorded_at\":\"" + at + "\",\"budget_time\":\"6h\",\"total_budget_secs\":"
                + "21600,\"elapsed_since_created_secs\":" + i * 60 + ",\"remaining_budget_secs\":" + (21600 - i * 60)
                + ",\"budget_tokens\":1500000,\"used_tokens\":" + i * 20624 + ",\"remaining_budget_tokens\":"
                + (1500000 - i * 20624) + ",\"budget_usd\":12.5,\"estimated_cost_usd\":0.0" + (i * 50304)
                + ",\"remaining_budget_usd\":12.4}";
    }

    private static String decision(String id, Instant at, int i) {
        return "{\"version\":1,\"goal_id\":\"" + id + "\",\"created_at\":\"" + at + "\",\"actor\":\"goal-controller\","
                + "\"phase\":\"planning\",\"kind\":\"boundary_" + i + "\",\"decision\":\"Scaffold before agents.\","
                + "\"rationale\":\"Inspectable state first.\",\"constraints\":[\"local only\"],\"artifacts\":"
                + "[\"prd.md\"]}";
    }

    private static String costs(Instant at) {
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < 3; i++) {
            array.append(i == 0 ? "\n" : ",\n").append("  {\"session_type\": \"verify\", \"name\": \"goal verify\", ")
                    .append("\"started_at\": \"").append(at.plusSeconds(i)).append("\", \"ended_at\": null, ")
                    .append("\"estimate\": {\"input_tokens\": 0, \"output_tokens\": 0, \"duration_secs\": 71, ")
                    .append("\"worker_count\": 1, \"estimated_usd\": 0.0, \"tier\": \"Standard\"}, \"actual_usd\": null}");
        }
        return array.append("\n]").toString();
    }

    private static String event(String goal, Instant ts, int index, int count, Random random) {
        String kind;
        String payload;
        String run = goal + (index % 10 < 5 ? "" : "-goal-agent-implement-0");
        if (index == 0) {
            kind = "run_started";
            payload = "{\"mode\":\"goal\",\"project_dir\":\"/home/dana/src/edge-gateway\",\"description\":\"" + FILLER
                    + "\"}";
        } else if (index == 1) {
            kind = "slice.lease.claimed";
            payload = "{\"goal_id\":\"" + goal + "\",\"slice_id\":\"goal-agent-implement-0\",\"lease_id\":\"" + goal
                    + "-goal-agent-implement-0-" + new UUID(random.nextLong(), random.nextLong()) + "\",\"pid\":"
                    + (40000 + random.nextInt(20000)) + ",\"role\":\"executor\",\"write_set\":[\"src/part3/\"]}";
        } else if (index == count - 1) {
            kind = "budget_checkpoint";
            payload = checkpoint(goal, ts, 2);
        } else {
            switch (index % 4) {
                case 0 -> {
                    kind = "command_finished";
                    payload = "{\"gate_id\":\"tests\",\"name\":\"tests\",\"command_line\":\"cargo test\",\"exit_code\":0,"
                            + "\"timed_out\":false,\"stdout_summary\":\"" + FILLER + "\",\"stderr_summary\":null}";
                }
                case 1 -> {
                    kind = "gate_passed";
                    payload = "{\"gate_id\":\"tests\",\"name\":\"tests\",\"required\":true,\"command_line\":\"cargo test\","
                            + "\"exit_code\":0,\"timed_out\":false,\"stdout_summary\":\"" + FILLER + "\"}";
                }
                case 2 -> {
                    kind = "task_completed";
                    payload = "{\"task_id\":\"goal-agent-implement-0\",\"worker_id\":\"goal-agent-worker-0\","
                            + "\"output_summary\":\"" + FILLER + "\"}";
                }
                default -> {
                    kind = "worker_heartbeat";
                    payload = "{\"worker_id\":\"goal-agent-worker-0\",\"timestamp\":\"" + ts + "\",\"note\":\""
                            + FILLER + "\"}";
                }
            }
        }
        return "{\"id\":\"" + new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x4000L,
                random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L) + "\",\"run_id\":\"" + run
                + "\",\"ts\":\"" + ts + "\",\"schema_version\":1,\"kind\":\"" + kind + "\",\"actor\":"
                + "\"goal-agent-worker-0\",\"payload\":" + payload + "}";
    }
}
