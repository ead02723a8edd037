package dev.cairn.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.Cairn;
import dev.cairn.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactionTest {
    private static final String R = Redactor.REDACTED;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"token", "TOKEN", "githubToken", "access_token", "X-Auth-Token", "secret", "clientSecret",
        "password", "DB_PASSWORD", "passwd", "api_key", "apiKey", "APIKEY", "x-api-key", "XApiKey", "authorization",
        "Authorization", "cookie", "Set-Cookie", "private_key", "privateKey", "aws_secret_access_key", "credentials"})
    void secretKeysAreRecognised(String key) {
        assertThat(Redactor.isSecretKey(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_tokens", "maxTokens", "tokens_used", "model", "temperature", "keyboard", "author",
        "monkey", "path"})
    void ordinaryKeysAreKept(String key) {
        assertThat(Redactor.isSecretKey(key)).isFalse();
    }

    @Test
    void secretsAreRedactedAtEveryDepthAndOrdinaryValuesKept() {
        JsonNode redacted = Redactor.redact(Json.tree("{\"model\":\"m1\",\"max_tokens\":4096,\"providers\":[{\"name\":"
                + "\"x\",\"auth\":{\"API_KEY\":\"k1\",\"Password\":{\"nested\":\"p1\"}}}],\"use_cookie\":true}"));
        assertThat(redacted.toString()).isEqualTo("{\"model\":\"m1\",\"max_tokens\":4096,\"providers\":[{\"name\":"
                + "\"x\",\"auth\":{\"API_KEY\":\"" + R + "\",\"Password\":\"" + R + "\"}}],\"use_cookie\":true}");
    }

    @Test
    void credentialShapedTextIsRedactedWherever() {
        assertThat(Redactor.text("calling with sk-proj-abcdefghijklmnop1234 now"))
                .isEqualTo("calling with " + R + " now");
        assertThat(Redactor.text("Authorization: Bearer abc.def.ghi-123456")).doesNotContain("abc.def.ghi-123456");
        assertThat(Redactor.text("curl -H 'Authorization: Basic dXNlcjpwYXNzd29yZA=='"))
                .doesNotContain("dXNlcjpwYXNzd29yZA");
        assertThat(Redactor.text("see the basic examples")).isEqualTo("see the basic examples");
        assertThat(Redactor.text("ghp_" + "a".repeat(36))).isEqualTo(R);
        assertThat(Redactor.text("github_pat_11ABCDEFG0123456789_abcdefghijklmnop")).isEqualTo(R);
        assertThat(Redactor.text("xoxb-1234567890-abcdefghij")).isEqualTo(R);
        assertThat(Redactor.text("key AKIAIOSFODNN7EXAMPLE used")).isEqualTo("key " + R + " used");
        assertThat(Redactor.text("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU"))
                .isEqualTo(R);
        assertThat(Redactor.text("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----"))
                .isEqualTo(R);
        assertThat(Redactor.text("git clone https://bot:hunter22@git.example.com/x.git"))
                .isEqualTo("git clone https://bot:" + R + "@git.example.com/x.git");
        assertThat(Redactor.text("retrying with password=hunter2 and max_tokens=4096"))
                .isEqualTo("retrying with password=" + R + " and max_tokens=4096");
        assertThat(Redactor.text("plain words stay as they are")).isEqualTo("plain words stay as they are");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "deploying with --token s3cr3t now|deploying with --token " + R + " now",
        "run --api-key abc123 --x 1|run --api-key " + R + " --x 1",
        "--token abc --x 1|--token " + R + " --x 1",
        "run --token=abc --x 1|run --token=" + R + " --x 1",
        "run --password 'two words' -v|run --password '" + R + "' -v",
        "password='hunter2'|password='" + R + "'",
        "password: 'hunter 2'|password: '" + R + "'",
        "password: \"hunter 2\"|password: \"" + R + "\"",
        "body {\"password\": \"p\\\"w d\", \"user\": \"ann\"}|body {\"password\": \"" + R + "\", \"user\": \"ann\"}",
        "{'api_key':'k 1'}|{'api_key':'" + R + "'}",
        "Authorization: Bearer X|Authorization: Bearer " + R,
        "authorization=token abc|authorization=token " + R,
        "curl -H 'X-Api-Key: k-123' host|curl -H 'X-Api-Key: " + R + "' host",
        "env API_KEY=abc GITHUB_TOKEN=def make|env API_KEY=" + R + " GITHUB_TOKEN=" + R + " make",
        "GET https://api.example.com/v1?access_token=abc&page=2|GET https://api.example.com/v1?access_token=" + R
            + "&page=2",
        "fetch https://ann:pa55@host/x|fetch https://ann:" + R + "@host/x",
        // kept: secret words that assign nothing, ordinary names, empty values, a flag followed by another flag
        "token count: 5, the token expired|token count: 5, the token expired",
        "max_tokens=4096 --max-tokens 10 tokens: 7|max_tokens=4096 --max-tokens 10 tokens: 7",
        "password='' and --token --verbose|password='' and --token --verbose",
        "a bearer of bad news; basic auth is off|a bearer of bad news; basic auth is off",
        "non-token words like long-token stay|non-token words like long-token stay"})
    void secretsInFreeTextAreRedactedAndTheirNamesKept(String text, String expected) {
        assertThat(Redactor.text(text)).isEqualTo(expected);
    }

    @Test
    void secretFlagsInArgumentListsAreRedacted() {
        JsonNode args = Redactor.redact(Json.tree("[\"deploy\",\"--token\",\"t0k3n\",\"--api-key=abc123\",\"-v\","
                + "\"--max-tokens\",\"10\"]"));
        assertThat(args.toString()).isEqualTo("[\"deploy\",\"--token\",\"" + R + "\",\"--api-key=" + R + "\",\"-v\","
                + "\"--max-tokens\",\"10\"]");
    }

    /** Every way into the ledger, each with its own secret, and then a look at the bytes on disk. */
    @Test
    void noSecretReachesTheDatabaseFileOrItsWriteAheadLog() throws IOException {
        List<String> secrets = new ArrayList<>();
        Path file = dir.resolve("secrets.db");
        try (Cairn db = Cairn.open(file)) {
            String s1 = secret(secrets, "args-map-value");
            String s2 = secret(secrets, "args-flag-value");
            String s3 = "sk-" + secret(secrets, "argsopenaikeyxxxxxxx");
            String s4 = secret(secrets, "config-deep-password");
            String s5 = "ghp_" + secret(secrets, "configgithubtokenvaluexxxxx");
            String s6 = secret(secrets, "stat-cookie");
            String s7 = secret(secrets, "failure-message-password");
            String s8 = secret(secrets, "skip-reason-secret");
            String s9 = secret(secrets, "run-audit-data-token");
            String s10 = secret(secrets, "step-audit-message-password");
            String s11 = "eyJ" + secret(secrets, "ledgerauditjwtxx") + ".eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl";
            String s12 = secret(secrets, "ledger-audit-private-key");
            String s13 = "xoxb-" + secret(secrets, "failfromstringslacktoken");
            String s14 = secret(secrets, "tx-config-api-key");
            // the free-text shapes, each in a different ledger text
            String f1 = secret(secrets, "freeflagtokenvalue");
            String f2 = secret(secrets, "freeflagapikeyvalue");
            String f3 = secret(secrets, "single quoted pw");
            String f4 = secret(secrets, "colon single quoted");
            String f5 = secret(secrets, "colon double quoted");
            String f6 = secret(secrets, "json looking pw");
            String f7 = secret(secrets, "Xb3");
            String f8 = secret(secrets, "oneStringArgsToken");
            String f9 = secret(secrets, "eqflagtoken");
            String f10 = secret(secrets, "envApiKeyValue");
            String f11 = secret(secrets, "xApiKeyHeader");
            String f12 = secret(secrets, "urlUserPass");
            String f13 = secret(secrets, "queryAccessToken");

            try (RunScope run = db.runs().begin(
                    List.of(Map.of("githubToken", s1), "--password", s2, "using " + s3),
                    Map.of("llm", Map.of("providers", List.of(Map.of("auth", Map.of("password", s4)))),
                            "repo", "https://github.com", "clone_with", s5))) {
                run.step("fetch", step -> {
                    step.stat("session", Map.of("Cookie", s6));
                    return null;
                });
                try {
                    run.step("login", step -> {
                        throw new IllegalStateException("login refused for password=" + s7);
                    });
                } catch (IllegalStateException expected) {
                    // recorded as failed
                }
                try (StepScope skipped = run.step("notify")) {
                    skipped.skip("no webhook; secret=" + s8);
                }
                run.audit(AuditLevel.INFO, "auth.refreshed", "token refreshed", Map.of("new", Map.of("x-api-key", s9)));
                try (StepScope step = run.step("report")) {
                    step.audit(AuditLevel.WARN, "report.retry", "retrying with password: " + s10, null);
                    step.fail("slack rejected " + s13);
                }
            }
            db.runs().audit(AuditLevel.ERROR, "ledger", "auth.failed", "rejected " + s11,
                    Map.of("request", Map.of("headers", Map.of("private_key", s12))));
            try (RunScope run = db.runs().begin("deploy --token " + f8 + " --x 1",
                    Map.of("note", "{\"password\": \"" + f6 + "\"}", "cmd", "make API_KEY=" + f10))) {
                run.audit(AuditLevel.INFO, "call.made", "calling with --token " + f1 + " and --api-key " + f2,
                        Map.of("header", "Authorization: Bearer " + f7));
                try (StepScope step = run.step("connect")) {
                    step.stat("retry", "password='" + f3 + "'");
                    step.audit(AuditLevel.WARN, "connect.retry", "GET https://h/x?access_token=" + f13
                            + " with X-Api-Key: " + f11, null);
                    step.fail("refused: password: '" + f4 + "'");
                }
                try (StepScope step = run.step("clone")) {
                    step.skip("no access: password: \"" + f5 + "\" and --token=" + f9 + " at https://ann:" + f12
                            + "@git.example.com/x.git");
                }
            }
            db.useTransaction(tx -> {
                try (RunScope run = tx.runs().begin(null, Map.of("API_KEY", s14))) {
                    run.step("noop", step -> null);
                }
            });

            byte[] main = Files.readAllBytes(file);
            byte[] wal = Files.readAllBytes(file.resolveSibling("secrets.db-wal"));
            assertThat(wal.length).as("the WAL holds this test's writes").isGreaterThan(0);
            String everything = new String(main, StandardCharsets.ISO_8859_1)
                    + new String(wal, StandardCharsets.ISO_8859_1);
            assertThat(everything).as("the scan sees what was written").contains("auth.refreshed", "clone_with");
            // the names of what was hidden stay readable
            assertThat(everything).contains("--token " + R, "--api-key " + R, "password='" + R + "'",
                    "password: '" + R + "'", "password: \"" + R + "\"", "Bearer " + R, "--token=" + R,
                    "API_KEY=" + R, "X-Api-Key: " + R, "access_token=" + R, "ann:" + R + "@");
            assertNoSecret(secrets, main, "the database file");
            assertNoSecret(secrets, wal, "the write-ahead log");
            // the ledger did record the redacted values
            assertThat(db.runs().auditLog(AuditQuery.all().event("step.failed")).get(0).message()).contains(R);
        }
        assertNoSecret(secrets, Files.readAllBytes(file), "the database file after closing");
    }

    private static String secret(List<String> secrets, String label) {
        secrets.add(label);
        return label;
    }

    private static void assertNoSecret(List<String> secrets, byte[] bytes, String where) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        for (String secret : secrets) {
            assertThat(text.contains(secret)).as("%s holds the secret %s", where, secret).isFalse();
        }
    }
}
