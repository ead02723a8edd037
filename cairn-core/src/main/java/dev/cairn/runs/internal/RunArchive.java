package dev.cairn.runs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.InvalidInputException;
import dev.cairn.StorageException;
import dev.cairn.events.RecordedEvent;
import dev.cairn.internal.Json;
import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.RecordedCall;
import dev.cairn.runs.Run;
import dev.cairn.runs.Step;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.List;
import java.util.Map;

/**
 * One run as a self-contained JSON file (docs/runs.md, "Archive"): the run, its steps with their results, its calls,
 * its audit entries and the events of its goal. {@code format} and {@code version} come first; a reader refuses a
 * version it does not know rather than guess.
 */
record RunArchive(String format, int version, Run run, List<Step> steps, List<RecordedCall> calls,
        List<AuditEntry> audit, List<Map<String, Object>> goalEvents) {
    static final String FORMAT = "cairn.run-archive";
    static final int VERSION = 1;

    /** A goal event as the archive keeps it: enough to read the goal's history, not to append it elsewhere. */
    static Map<String, Object> event(RecordedEvent event) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("eventId", event.eventId().toString());
        map.put("streamId", event.streamId());
        map.put("streamVersion", event.streamVersion());
        map.put("type", event.type());
        map.put("schemaVersion", event.schemaVersion());
        map.put("payload", Json.tree(event.payload()));
        map.put("occurredAt", event.occurredAt());
        map.put("recordedAt", event.recordedAt());
        return map;
    }

    void write(OutputStream out) {
        try {
            out.write(Json.write(this).getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new StorageException("cannot write the archive of run " + run.id() + ": " + e.getMessage(), e);
        }
    }

    static RunArchive read(InputStream in) {
        String text;
        try {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("cannot read a run archive: " + e.getMessage(), e);
        }
        Map<String, Object> head;
        try {
            head = Json.parse(text, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("not a Cairn run archive (not JSON: " + e.getOriginalMessage() + ")");
        }
        if (!FORMAT.equals(head.get("format"))) {
            throw new InvalidInputException("not a Cairn run archive: its format is " + head.get("format")
                    + ", expected " + FORMAT);
        }
        if (!Integer.valueOf(VERSION).equals(head.get("version"))) {
            throw new InvalidInputException("run archive version " + head.get("version") + " is not one this Cairn "
                    + "reads (it reads version " + VERSION + "); import it with the Cairn that wrote it");
        }
        RunArchive archive = Json.read(text, RunArchive.class);
        if (archive.run() == null || archive.steps() == null || archive.calls() == null || archive.audit() == null) {
            throw new InvalidInputException("run archive is incomplete: it needs run, steps, calls and audit");
        }
        // A step without a result has no "result" field; Jackson reads the absent field as a JSON null result.
        JsonNode stepNodes = Json.tree(text).get("steps");
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < archive.steps().size(); i++) {
            Step s = archive.steps().get(i);
            steps.add(stepNodes.get(i).has("result") ? s : new Step(s.id(), s.runId(), s.position(), s.name(),
                    s.startedAt(), s.finishedAt(), s.status(), s.stats(), s.message(), Optional.empty(),
                    s.exceptionClass(), s.attempts()));
        }
        return new RunArchive(archive.format(), archive.version(), archive.run(), steps, archive.calls(),
                archive.audit(), archive.goalEvents() == null ? List.of() : archive.goalEvents());
    }
}
