package dev.cairn.runs;

import dev.cairn.runs.internal.LedgerJson;

/**
 * The hash a run records of its configuration: SHA-256 over the RFC 8785 (JCS) canonical JSON of the whole
 * configuration after redaction, as 64 lowercase hex characters. Key order at any depth and the spelling of numbers
 * ({@code 1.0}, {@code 1}, {@code 1e0}) do not change it; redaction means rotating a secret does not either.
 */
public final class ConfigHash {
    private ConfigHash() {}

    /** The hash of a configuration given as a map, a record, a list, a Jackson tree, or any value Jackson writes. */
    public static String of(Object config) {
        return LedgerJson.configHash(LedgerJson.redactedTree(config));
    }
}
