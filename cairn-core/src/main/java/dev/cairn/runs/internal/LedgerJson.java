package dev.cairn.runs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.InvalidInputException;
import dev.cairn.internal.Json;
import dev.cairn.runs.ConfigHash;
import dev.cairn.runs.Redactor;

/** How the ledger turns caller values into the JSON it stores: always through the redactor, never around it. */
public final class LedgerJson {
    private LedgerJson() {}

    /** The caller's value as a JSON tree with every secret redacted. */
    public static JsonNode redactedTree(Object value) {
        JsonNode tree;
        if (value == null) {
            tree = NullNode.getInstance();
        } else if (value instanceof JsonNode node) {
            tree = node;
        } else if (value instanceof CharSequence text) {
            tree = TextNode.valueOf(text.toString());
        } else {
            try {
                tree = Json.toTree(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("cannot record a " + value.getClass().getName() + " as JSON: "
                        + e.getMessage());
            }
        }
        return Redactor.redact(tree);
    }

    /** The hash of a configuration already redacted: {@link ConfigHash}'s, so the two can never disagree. */
    public static String configHash(JsonNode redactedConfig) {
        return ConfigHash.of(redactedConfig); // redacting again changes nothing: redaction is idempotent
    }

    static String text(JsonNode node) {
        return Json.write(node);
    }

    static JsonNode parse(String stored) {
        return stored == null ? NullNode.getInstance() : Json.tree(stored);
    }
}
