package dev.cairn.runs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cairn.InvalidInputException;
import dev.cairn.internal.Json;
import dev.cairn.runs.Divergence;
import dev.cairn.runs.RecordedCall;
import dev.cairn.runs.RunDivergenceException;
import java.util.Optional;

/** How a call (or a step's result) is stored, and when a new call is the one recorded at its position. */
final class RecordedCalls {
    private RecordedCalls() {}

    /**
     * A value as it reads back from the database: through its stored text, so that a new request compares equal to the
     * recorded one (a tree made from a {@code long} holds another node type than the same number parsed from text).
     */
    static JsonNode stored(JsonNode tree) {
        return LedgerJson.parse(LedgerJson.text(tree));
    }

    /** A response or result as JSON, exactly as the code returned it: a run's data, not redacted. */
    static JsonNode response(Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        try {
            return Json.toTree(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("cannot record a " + value.getClass().getName() + " as JSON: "
                    + e.getMessage());
        }
    }

    /** Refuses a call that is not the one recorded at its position. */
    static void requireSame(RecordedCall recorded, String kind, JsonNode request) {
        if (!recorded.kind().equals(kind) || !recorded.request().equals(request)) {
            throw new RunDivergenceException(new Divergence(recorded.runId(), recorded.stepPosition(),
                    Optional.of(recorded.position()), Optional.of(describe(recorded.kind(), recorded.request())),
                    Optional.of(describe(kind, request))));
        }
    }

    static String describe(String kind, JsonNode request) {
        String text = LedgerJson.text(request);
        return "a " + kind + " call with request " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
}
