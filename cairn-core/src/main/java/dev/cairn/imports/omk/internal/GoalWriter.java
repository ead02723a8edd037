package dev.cairn.imports.omk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.ConflictException;
import dev.cairn.InvalidInputException;
import dev.cairn.events.EventData;
import dev.cairn.events.EventLog;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.goals.Goal;
import dev.cairn.goals.SliceLease;
import dev.cairn.goals.internal.GoalImports;
import dev.cairn.imports.omk.OmkImportProblem;
import dev.cairn.internal.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Writes one scanned goal in one write of the store's session (one transaction): its rows, then its stream
 * {@code goal:ID}: one {@code goal.imported} event, omk's events in the order of events.jsonl (read again, a batch at a
 * time), and the cost records. Anything that fails rolls all of it back.
 */
final class GoalWriter {
    /** Events per append: bounds the memory one goal's log needs, whatever its length. */
    static final int BATCH = 500;
    static final String IMPORTED = "goal.imported";
    static final String COST = "omk.session-cost";
    /**
     * Who holds an imported controller or lease: a process of omk, named by its pid, that heartbeats no more. (With
     * owners named by id and host, it is this owner; until then the pid is kept and the heartbeat left out.)
     */
    static final String IMPORTED_OWNER = "omk-import";

    private final Session session;
    private final EventLog log;

    GoalWriter(Session session, EventLog log) {
        this.session = session;
        this.log = log;
    }

    /** Why a write was given up: the problem to report; the write was rolled back. */
    static final class Abort extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final transient OmkImportProblem problem;

        Abort(OmkImportProblem problem) {
            super(problem.toString(), null, false, false);
            this.problem = problem;
        }
    }

    /**
     * @param base the absolute directory the artifacts are registered in (omk's state directory, or the copy's)
     * @param events hears each event written, for progress
     */
    void write(ScannedGoal g, String stateDir, String base, boolean copied, LongConsumer events) {
        session.write(c -> {
            if (GoalImports.exists(c, g.goalId)) {
                throw new Abort(new OmkImportProblem(OmkImportProblem.Kind.CONFLICT, null, null, "goal " + g.goalId
                        + " was added to Cairn while it was being imported; it was left as it is"));
            }
            insertRows(c, g, base);
            Map<String, Long> leaseIds = new HashMap<>();
            for (ScannedGoal.LeaseImport l : g.leases) {
                SliceLease lease = GoalImports.lease(c, g.goalId, l.sliceId(), l.ownerPid(), l.ownerRole(),
                        l.writeSet(), l.claimedAt(), l.heartbeatAt(), l.releasedAt(), l.expiredAt());
                leaseIds.put(l.omkId(), lease.id());
            }
            String stream = Goal.streamId(g.goalId);
            EventData imported;
            try {
                imported = EventData.of(IMPORTED, OmkJson.write(importedPayload(g, stateDir, base, copied,
                        leaseIds)));
            } catch (InvalidInputException e) {
                throw new Abort(new OmkImportProblem(OmkImportProblem.Kind.BROKEN, g.file("goal.json"), null,
                        "what the goal.imported event must record (goal.json and the task graph's extra keys) does "
                                + "not fit one event: " + e.getMessage()));
            }
            log.append(stream, ExpectedVersion.noStream(), imported);
            long version = appendEvents(g, stream, 0, leaseIds, events);
            appendCosts(g, stream, version);
            return null;
        });
    }

    private static void insertRows(Connection c, ScannedGoal g, String base) throws SQLException {
        Goal s = g.goal;
        GoalImports.goal(c, new Goal(s.id(), s.originalText(), s.normalizedText(), s.kind(), s.projectDir(),
                s.status(), s.phase(), s.deliveryPolicy(), s.mergePolicy(), s.untilReady(), s.sliceExecution(),
                s.maxAgents(), s.budget(), s.terminalCriteria(), s.failure(),
                g.controllerPid == null ? null : GoalImports.importedOwner(g.controllerPid), null, s.createdAt(),
                s.updatedAt(), s.completedAt(), s.version()));
        GoalImports.tasks(c, g.tasks);
        if (g.proof != null) {
            GoalImports.proof(c, g.goalId, g.proof, g.proofGeneratedAt);
        }
        for (ScannedGoal.Checkpoint cp : g.checkpoints) {
            GoalImports.checkpoint(c, g.goalId, cp.label(), cp.status(), cp.phase(), cp.budget(), cp.use(),
                    cp.recordedAt());
        }
        for (ScannedGoal.DecisionRow d : g.decisions) {
            GoalImports.decision(c, g.goalId, d.spec(), d.createdAt());
        }
        for (ScannedGoal.ArtifactFile a : g.artifacts) {
            GoalImports.artifact(c, g.goalId, a.kind(), a.path(), base, a.mimeType(), a.size(), a.sha256(),
                    a.createdAt());
        }
    }

    /** omk's events, a batch at a time, after {@code version}; returns the stream's version after them. */
    private long appendEvents(ScannedGoal g, String stream, long version, Map<String, Long> leaseIds,
            LongConsumer progress) {
        if (g.eventsFile == null) {
            return version;
        }
        String file = g.file(g.eventsFileName);
        EventMapping.Context context = new EventMapping.Context(g.goalId, leaseIds, new Notes());
        List<EventData> batch = new ArrayList<>(BATCH);
        long firstLine = 0;
        try (JsonLines lines = new JsonLines(g.eventsFile)) {
            for (JsonLines.Line line; (line = lines.next()) != null; ) {
                if (line.number() > g.lastEventLine) {
                    continue; // the cut-off last line, left out; read on for the digest
                }
                OmkEvent event;
                try {
                    event = OmkEvent.parse(Node.line(file, line.number(), OmkJson.line(line.text())));
                } catch (IOException | BrokenGoal e) {
                    throw changed(file);
                }
                if (batch.isEmpty()) {
                    firstLine = line.number();
                }
                batch.add(EventMapping.toCairn(event, context));
                if (batch.size() == BATCH) {
                    version = append(stream, version, batch, file, firstLine, line.number());
                    progress.accept(batch.size());
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                long last = g.lastEventLine;
                version = append(stream, version, batch, file, firstLine, last);
                progress.accept(batch.size());
            }
            if (!MessageDigest.isEqual(lines.digest().digest(), g.eventsDigest)) {
                throw changed(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return version;
    }

    private long append(String stream, long version, List<EventData> batch, String file, long from, long to) {
        try {
            log.append(stream, ExpectedVersion.exact(version), batch);
        } catch (ConflictException e) {
            throw new Abort(new OmkImportProblem(OmkImportProblem.Kind.BROKEN, file, null, "an event id of lines "
                    + from + " to " + to + " is already in Cairn's log (a line written twice, or another goal's "
                    + "copy of the same events): " + e.getMessage()));
        }
        return version + batch.size();
    }

    private void appendCosts(ScannedGoal g, String stream, long version) {
        if (g.costs.isEmpty()) {
            return;
        }
        List<EventData> costs = new ArrayList<>(g.costs.size());
        for (ScannedGoal.CostRecord cost : g.costs) {
            // A name-based id: the same record of the same goal always gets the same one.
            UUID id = UUID.nameUUIDFromBytes(("omk-cost:" + g.goalId + ":" + cost.index())
                    .getBytes(StandardCharsets.UTF_8));
            costs.add(new EventData(id, COST, 1, OmkJson.write(cost.entry()), null, cost.startedAt()));
        }
        log.append(stream, ExpectedVersion.exact(version), costs);
    }

    private static Abort changed(String file) {
        return new Abort(new OmkImportProblem(OmkImportProblem.Kind.BROKEN, file, null, "the file changed while it "
                + "was being imported (omk is still writing it?); import the goal again once omk has stopped"));
    }

    private static ObjectNode importedPayload(ScannedGoal g, String stateDir, String base, boolean copied,
            Map<String, Long> leaseIds) {
        ObjectNode p = OmkJson.object();
        p.put("source", "omk");
        p.put("format", GoalScanner.FORMAT);
        p.put("stateDir", stateDir);
        p.put("goalDir", g.dir);
        p.put("digest", g.digest);
        p.set("projectDir", g.record.get("projectDir"));
        ObjectNode artifacts = p.putObject("artifacts");
        artifacts.put("baseDir", base);
        artifacts.put("copied", copied);
        if (g.controllerPid != null) {
            ObjectNode controller = p.putObject("controller");
            controller.put("pid", g.controllerPid);
            controller.put("owner", IMPORTED_OWNER);
            controller.put("lastHeartbeat", g.controllerHeartbeat == null ? null : g.controllerHeartbeat.toString());
        }
        ArrayNode leases = p.putArray("leases");
        for (ScannedGoal.LeaseImport l : g.leases) {
            ObjectNode lease = leases.addObject();
            lease.put("id", leaseIds.get(l.omkId()));
            lease.put("omkId", l.omkId());
            lease.put("sliceId", l.sliceId());
            lease.put("owner", IMPORTED_OWNER);
            lease.put("ownerPid", l.ownerPid());
            lease.put("from", l.from());
        }
        ObjectNode records = p.putObject("records");
        g.records().forEach(records::put);
        ObjectNode types = p.putObject("eventTypes");
        g.eventTypes.forEach(types::put);
        ArrayNode conversions = p.putArray("conversions");
        g.notes.lines().forEach(conversions::add);
        JsonNode goalJson = g.record.get("goal");
        p.set("goal", goalJson);
        if (g.record.has("taskGraph")) {
            p.set("taskGraph", g.record.get("taskGraph"));
        }
        return p;
    }
}
