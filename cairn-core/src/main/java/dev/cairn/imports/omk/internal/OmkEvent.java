package dev.cairn.imports.omk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One line of omk's events.jsonl: the envelope omk's {@code Event} declares ({@code id, run_id, ts, schema_version,
 * kind, actor, payload}), read with omk's rules. Keys omk does not declare are kept aside, not dropped.
 *
 * @param payload null when the line has none (omk leaves it out for {@code run_completed} and
 *     {@code manual_interrupt})
 * @param otherKeys keys of the line omk's struct does not declare
 */
record OmkEvent(long line, String id, String runId, Instant ts, String tsText, long schemaVersion, String kind,
        String actor, JsonNode payload, ObjectNode otherKeys) {
    private static final Set<String> ENVELOPE = Set.of("id", "run_id", "ts", "schema_version", "kind", "actor",
            "payload");
    /** What a Cairn event type may hold after the {@code omk.} prefix. */
    static final Pattern KIND = Pattern.compile("[A-Za-z0-9._-]{1,95}");

    /** Every kind omk's {@code EventKind} has had (events/kind.rs); any other is kept too, and reported. */
    static final Set<String> KNOWN_KINDS = Set.of("run_started", "run_completed", "run_failed", "worker_started",
            "worker_heartbeat", "worker_stalled", "worker_dead", "worker_recovered", "task_proposed", "task_accepted",
            "task_rejected", "task_graph_mutated", "task_claimed", "task_started", "task_output", "task_completed",
            "task_failed", "file_changed", "command_started", "command_finished", "gate_passed", "gate_failed",
            "retry_scheduled", "proof_written", "manual_interrupt", "goal_paused", "goal_resumed",
            "goal_budget_exhausted", "goal_budget_extended", "budget_checkpoint", "hook_triggered", "hook_resolved",
            "approval_requested", "approval_decided", "slice.lease.claimed", "slice.lease.released",
            "slice.lease.expired", "slice.lease.skipped");

    static OmkEvent parse(Node line) throws BrokenGoal {
        line.requireObject();
        String kind = line.nonBlank("kind");
        if (!KIND.matcher(kind).matches()) {
            throw line.broken("kind", "event kind '" + kind + "' has characters a Cairn event type cannot hold");
        }
        long schemaVersion = line.count("schema_version");
        Node actor = line.field("actor");
        if (!actor.json.isNull() && !actor.json.isTextual()) {
            throw actor.broken("'actor' must be a string or null, was " + Node.type(actor.json));
        }
        ObjectNode other = OmkJson.object();
        for (Map.Entry<String, JsonNode> field : line.json.properties()) {
            if (!ENVELOPE.contains(field.getKey())) {
                other.set(field.getKey(), field.getValue());
            }
        }
        String tsText = line.text("ts");
        JsonNode payload = line.json.get("payload");
        return new OmkEvent(line.line(), line.text("id"), line.text("run_id"), line.time("ts"), tsText, schemaVersion,
                kind, actor.json.isNull() ? null : actor.json.textValue(), payload, other);
    }
}
