package dev.cairn.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.Owner;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One recorded run of an agent: what it was started with (arguments and configuration, secrets redacted), the
 * SHA-256 of its canonical configuration, and its status as derived from its steps.
 *
 * @param configHash 64 hex characters: SHA-256 over the RFC 8785 canonical JSON of the redacted configuration
 * @param stepCount how many steps the run has recorded so far
 * @param owner the process that holds the run (began or last resumed it); empty for runs recorded before owners were
 * @param heartbeatAt its owner's last sign of life (its last step write or heartbeat), on the store's shared clock
 * @param key the key a durable run was begun under ({@link RunLedger#beginOrResume(RunStart)}); empty for others
 * @param goalId the goal the run works for, if it named one
 */
public record Run(
        String id,
        Instant createdAt,
        Optional<Instant> finishedAt,
        JsonNode args,
        JsonNode config,
        String configHash,
        Optional<String> gitSha,
        RunStatus status,
        int stepCount,
        Optional<Owner> owner,
        Optional<Instant> heartbeatAt,
        Optional<String> key,
        Optional<String> goalId) {

    /** From creation to finish, once finished. */
    public Optional<Duration> duration() {
        return finishedAt.map(end -> Duration.between(createdAt, end));
    }
}
