package dev.cairn.runs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cairn.InvalidInputException;
import dev.cairn.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
                tree = Json.MAPPER.valueToTree(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("cannot record a " + value.getClass().getName() + " as JSON: "
                        + e.getMessage());
            }
        }
        return Redactor.redact(tree);
    }

    /** SHA-256 of the canonical form, 64 lowercase hex characters. */
    public static String configHash(JsonNode redactedConfig) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(CanonicalJson.of(redactedConfig).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static String text(JsonNode node) {
        return Json.write(node);
    }

    static JsonNode parse(String stored) {
        return stored == null ? NullNode.getInstance() : Json.tree(stored);
    }
}
