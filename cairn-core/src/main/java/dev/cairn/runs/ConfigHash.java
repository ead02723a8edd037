package dev.cairn.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cairn.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash a run records of its configuration: SHA-256 over the RFC 8785 (JCS) canonical JSON of the whole
 * configuration after redaction, as 64 lowercase hex characters. Key order at any depth and the spelling of numbers
 * ({@code 1.0}, {@code 1}, {@code 1e0}) do not change it; redaction means rotating a secret does not either.
 *
 * <p>The run ledger hashes through this class too, so a run's recorded hash is always {@code of(config)}.
 */
public final class ConfigHash {
    /**
     * Only turns caller values into trees (canonical JSON does the rest), configured as Cairn's stored JSON is:
     * Java time as ISO-8601 text, {@code Optional} as its value. Private, so no caller can reconfigure it.
     */
    private static final ObjectMapper TREES = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private ConfigHash() {}

    /** The hash of a configuration given as a map, a record, a list, a Jackson tree, or any value Jackson writes. */
    public static String of(Object config) {
        JsonNode redacted = Redactor.redact(tree(config));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(CanonicalJson.of(redacted).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static JsonNode tree(Object config) {
        if (config == null) {
            return NullNode.getInstance();
        }
        if (config instanceof JsonNode node) {
            return node;
        }
        try {
            return TREES.valueToTree(config);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("cannot hash a " + config.getClass().getName() + " as JSON: "
                    + e.getMessage());
        }
    }
}
