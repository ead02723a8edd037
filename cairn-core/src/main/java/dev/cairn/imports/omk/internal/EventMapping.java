package dev.cairn.imports.omk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.InvalidInputException;
import dev.cairn.events.ActorKind;
import dev.cairn.events.EventData;
import dev.cairn.events.EventMetadata;
import dev.cairn.goals.Money;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * How an omk event becomes a Cairn event on the goal's stream. Where Cairn has a goal event for the same fact, the
 * omk event takes its type, its payload holds the fields of Cairn's event that omk's says, and the omk payload itself
 * under {@code omk}; every other kind keeps its own name as {@code omk.<kind>} with its payload unchanged. Nothing of
 * the line is dropped: the omk id is the event id, {@code ts} the time it happened (to the millisecond; the exact text
 * is kept in the metadata as {@code omk.ts}), {@code run_id} the correlation id, the actor and the original kind go to
 * the metadata, and keys omk's envelope does not declare too (as {@code omk.key.<name>}).
 *
 * <table>
 * <caption>Mapped kinds</caption>
 * <tr><th>omk kind</th><th>Cairn type</th></tr>
 * <tr><td>task_claimed</td><td>goal.task-claimed</td></tr>
 * <tr><td>task_completed</td><td>goal.task-completed</td></tr>
 * <tr><td>budget_checkpoint</td><td>goal.budget-checkpoint</td></tr>
 * <tr><td>goal_paused, goal_resumed, goal_budget_exhausted</td><td>goal.status-changed</td></tr>
 * <tr><td>slice.lease.claimed, .released, .expired</td><td>goal.lease-claimed, -released, -expired</td></tr>
 * </table>
 * An event of a mapped kind whose payload lacks what the Cairn event needs keeps its own name, as an unknown kind does.
 */
final class EventMapping {
    static final String PREFIX = "omk.";
    /** When a lease deadline this far after its event is read as omk's scheduler bug (see {@link #deadline}). */
    private static final Duration FAR_FUTURE = Duration.ofDays(3650);

    private EventMapping() {}

    /** What the mapping needs besides the event: the goal, and the Cairn id of each omk lease (empty when scanning). */
    record Context(String goalId, Map<String, Long> leaseIds, Notes notes) {}

    static EventData toCairn(OmkEvent e, Context context) {
        Notes notes = context.notes();
        ObjectNode payload;
        String wrapped = null;
        if (e.payload() == null) {
            payload = OmkJson.object();
            wrapped = "absent";
        } else if (e.payload().isObject()) {
            payload = (ObjectNode) e.payload();
        } else {
            payload = OmkJson.object();
            payload.set("value", e.payload());
            wrapped = e.payload().isNull() ? "null" : "wrapped";
            notes.add("payload-wrapped", "events whose payload is not a JSON object: kept as {\"value\": payload}",
                    "events.jsonl line " + e.line());
        }
        String type = PREFIX + e.kind();
        ObjectNode mapped = map(e, payload, context);
        if (mapped != null) {
            type = mappedType(e.kind());
            mapped.set("omk", e.payload() == null ? OmkJson.object() : e.payload());
            payload = mapped;
        } else if (!OmkEvent.KNOWN_KINDS.contains(e.kind())) {
            notes.add("unknown-kind:" + e.kind(), "event kind '" + e.kind() + "' is not one omk writes: kept as "
                    + PREFIX + e.kind(), null);
        } else if (mappedType(e.kind()) != null) {
            notes.add("unmapped:" + e.kind(), e.kind() + " events without the payload Cairn's "
                    + mappedType(e.kind()) + " needs: kept as " + PREFIX + e.kind(), "events.jsonl line " + e.line());
        }
        UUID id = eventId(e, context.goalId(), notes);
        EventMetadata metadata = metadata(e, id, wrapped);
        int schemaVersion = mapped != null ? 1 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, e.schemaVersion()));
        if (OmkTime.finerThanMillis(e.ts())) {
            notes.add("event-ts", "event times finer than a millisecond: occurredAt keeps the millisecond, the "
                    + "exact text is the metadata's omk.ts", null);
        }
        try {
            return new EventData(id, type, schemaVersion, OmkJson.write(payload), metadata, e.ts());
        } catch (InvalidInputException problem) {
            throw new Unmappable("events.jsonl line " + e.line() + ": " + problem.getMessage());
        }
    }

    /** The Cairn type an omk kind maps to, or null for a kind Cairn has no goal event for. */
    static String mappedType(String kind) {
        return switch (kind) {
            case "task_claimed" -> "goal.task-claimed";
            case "task_completed" -> "goal.task-completed";
            case "budget_checkpoint" -> "goal.budget-checkpoint";
            case "goal_paused", "goal_resumed", "goal_budget_exhausted" -> "goal.status-changed";
            case "slice.lease.claimed" -> "goal.lease-claimed";
            case "slice.lease.released" -> "goal.lease-released";
            case "slice.lease.expired" -> "goal.lease-expired";
            default -> null;
        };
    }

    /** The Cairn-shaped fields of a mapped event, or null when the kind is not mapped or its payload lacks them. */
    private static ObjectNode map(OmkEvent e, ObjectNode p, Context context) {
        if (e.payload() == null || !e.payload().isObject()) {
            return null;
        }
        ObjectNode out = OmkJson.object();
        switch (e.kind()) {
            case "task_claimed", "task_completed" -> {
                if (!isText(p, "task_id")) {
                    return null;
                }
                boolean claimed = e.kind().equals("task_claimed");
                out.put("task", p.get("task_id").textValue());
                out.put("change", claimed ? "claimed" : "completed");
                out.put("to", claimed ? "running" : "done");
                out.put("owner", isText(p, "worker_id") ? p.get("worker_id").textValue() : e.actor());
                if (claimed && isText(p, "lease_deadline")) {
                    Instant deadline = deadline(e, p.get("lease_deadline").textValue(), context.notes());
                    if (deadline != null) {
                        out.put("leaseExpiresAt", deadline.toString());
                    }
                }
                if (!claimed && p.has("output_summary") && !p.get("output_summary").isNull()) {
                    out.set("evidence", OmkJson.array().add(p.get("output_summary")));
                }
            }
            case "budget_checkpoint" -> {
                if (!isText(p, "label") || !p.path("elapsed_since_created_secs").canConvertToLong()
                        || !p.path("used_tokens").canConvertToLong() || !p.path("estimated_cost_usd").isNumber()) {
                    return null;
                }
                out.put("label", p.get("label").textValue());
                copyText(p, "status", out, "status");
                copyText(p, "phase", out, "phase");
                copyText(p, "recorded_at", out, "recordedAt");
                out.put("elapsedSeconds", p.get("elapsed_since_created_secs").longValue());
                out.put("tokensUsed", p.get("used_tokens").longValue());
                out.put("spentCents", cents(p.get("estimated_cost_usd")));
                ObjectNode budget = out.putObject("budget");
                Long seconds = p.path("total_budget_secs").canConvertToLong() ? p.get("total_budget_secs").longValue()
                        : isText(p, "budget_time") ? OmkTime.seconds(p.get("budget_time").textValue()) : null;
                budget.put("timeSeconds", seconds);
                budget.put("tokens", p.path("budget_tokens").canConvertToLong() ? p.get("budget_tokens").longValue()
                        : null);
                budget.put("cents", p.path("budget_usd").isNumber() ? cents(p.get("budget_usd")) : null);
            }
            case "goal_paused", "goal_resumed", "goal_budget_exhausted" -> {
                out.put("transition", switch (e.kind()) {
                    case "goal_paused" -> "pause";
                    case "goal_resumed" -> "resume";
                    default -> "budget-exhausted";
                });
                if (isText(p, "status")) {
                    out.put("to", p.get("status").textValue());
                } else if (e.kind().equals("goal_budget_exhausted")) {
                    out.put("to", "needs_more_budget");
                } else {
                    return null;
                }
                copyText(p, "phase", out, "phase");
            }
            case "slice.lease.claimed", "slice.lease.released", "slice.lease.expired" -> {
                if (!isText(p, "lease_id") || !isText(p, "slice_id")) {
                    return null;
                }
                String leaseId = p.get("lease_id").textValue();
                Long lease = context.leaseIds().get(leaseId);
                out.put("id", lease);
                out.put("goalId", context.goalId());
                out.put("sliceId", p.get("slice_id").textValue());
                if (e.kind().endsWith("claimed")) {
                    if (!p.path("pid").canConvertToLong()) {
                        return null;
                    }
                    out.put("ownerPid", p.get("pid").longValue());
                    copyText(p, "role", out, "ownerRole");
                    out.set("writeSet", p.has("write_set") ? p.get("write_set") : OmkJson.array());
                    out.put("claimedAt", e.ts().toString());
                } else if (e.kind().endsWith("released")) {
                    out.put("releasedAt", e.ts().toString());
                } else {
                    out.put("expiredAt", p.path("expired_at_unix").canConvertToLong()
                            ? Instant.ofEpochSecond(p.get("expired_at_unix").longValue()).toString()
                            : e.ts().toString());
                }
            }
            default -> {
                return null;
            }
        }
        return out;
    }

    /**
     * A {@code task_claimed} lease deadline. omk's scheduler passed the unix time of the expiry where a duration was
     * expected, so the deadline it wrote is the event time plus that unix time: some 56 years ahead. Such a deadline
     * is read back as the unix time it carries ({@code deadline - ts}), which lands minutes after the event.
     */
    static Instant deadline(OmkEvent e, String text, Notes notes) {
        Instant deadline;
        try {
            deadline = OmkTime.parse(text);
        } catch (java.time.format.DateTimeParseException bad) {
            return null;
        }
        Duration ahead = Duration.between(e.ts(), deadline);
        if (ahead.compareTo(FAR_FUTURE) <= 0) {
            return deadline;
        }
        Instant meant = Instant.ofEpochSecond(ahead.getSeconds(), ahead.getNano());
        if (meant.isBefore(e.ts().minus(Duration.ofDays(1))) || meant.isAfter(e.ts().plus(Duration.ofDays(7)))) {
            notes.add("far-deadline-kept", "task_claimed lease deadlines far in the future that do not read as "
                    + "omk's scheduler bug: kept as written", "events.jsonl line " + e.line() + ": " + text);
            return deadline;
        }
        notes.add("far-deadline", "task_claimed lease_deadline about " + ahead.toDays() / 365 + " years after its "
                + "event (omk's scheduler added the unix expiry to the time): read as the unix time it carries, "
                + "deadline minus event time; the omk payload keeps the text",
                "events.jsonl line " + e.line() + ": " + text + " read as " + meant);
        return meant;
    }

    /** Dollars (the decimal omk wrote) as cents, half up, never through a double. */
    static long cents(JsonNode dollars) {
        return Money.ofDollars(dollars.decimalValue().max(BigDecimal.ZERO)).cents();
    }

    private static UUID eventId(OmkEvent e, String goalId, Notes notes) {
        try {
            UUID id = UUID.fromString(e.id());
            if (id.toString().equalsIgnoreCase(e.id())) {
                return id;
            }
        } catch (IllegalArgumentException notUuid) {
            // below
        }
        notes.add("event-id", "event ids that are not UUIDs: given a name-based UUID, the omk id kept as the "
                + "metadata's omk.id", "events.jsonl line " + e.line() + ": '" + e.id() + "'");
        return UUID.nameUUIDFromBytes(("omk-event:" + goalId + ":" + e.id()).getBytes(StandardCharsets.UTF_8));
    }

    private static EventMetadata metadata(OmkEvent e, UUID id, String wrapped) {
        Map<String, String> extra = new TreeMap<>();
        extra.put("omk.kind", e.kind());
        extra.put("omk.ts", e.tsText());
        extra.put("omk.schemaVersion", Long.toString(e.schemaVersion()));
        if (e.actor() != null && !e.actor().isEmpty()) {
            extra.put("omk.actor", e.actor());
        }
        if (!id.toString().equalsIgnoreCase(e.id())) {
            extra.put("omk.id", e.id());
        }
        if (wrapped != null) {
            extra.put("omk.payload", wrapped);
        }
        e.otherKeys().properties().forEach(field -> extra.put("omk.key." + field.getKey(),
                OmkJson.write(field.getValue())));
        String correlation = e.runId();
        if (correlation.isBlank() || correlation.length() > 200) {
            extra.put("omk.runId", correlation);
            correlation = null;
        }
        ActorKind actor = e.actor() == null ? null : e.actor().equals("omk-cli") ? ActorKind.CLIENT : ActorKind.SERVER;
        return new EventMetadata(actor, null, null, correlation, extra);
    }

    private static boolean isText(JsonNode node, String name) {
        return node.path(name).isTextual();
    }

    private static void copyText(JsonNode from, String name, ObjectNode to, String as) {
        if (from.path(name).isTextual()) {
            to.put(as, from.get(name).textValue());
        }
    }

    /** An omk event that cannot become a Cairn event (too large a payload, say); it names its line. */
    static final class Unmappable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unmappable(String message) {
            super(message, null, false, false);
        }
    }
}
