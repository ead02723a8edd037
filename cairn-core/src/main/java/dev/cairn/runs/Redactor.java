package dev.cairn.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from everything the run ledger writes, before it is written: values under secret-sounding keys at
 * any depth, credential-shaped text anywhere, {@code name=value} pairs and {@code --flag value} arguments with a
 * secret name. The database must never hold a secret, so this errs on the side of redacting too much.
 *
 * <p>Part of the API because {@link ConfigHash} hashes a configuration after redaction, and so that a caller can apply
 * the ledger's rules to what it logs elsewhere.
 */
public final class Redactor {
    public static final String REDACTED = "***REDACTED***";

    /**
     * Parts that make a key secret wherever they stand in it once case and punctuation are dropped, so that
     * {@code x-api-key}, {@code XApiKey} and {@code DB_PASSWORD} all match.
     */
    private static final List<String> SECRET_PARTS = List.of("password", "passwd", "passphrase", "secret", "apikey",
            "privatekey", "accesskey", "signingkey", "authorization", "cookie", "credential");
    /**
     * "token" only as a whole word or a word's end ({@code githubToken}, {@code ACCESS_TOKEN}, {@code authtoken}):
     * {@code max_tokens} and {@code tokens_used} are limits and counts an agent's config is full of, not secrets.
     */
    private static final Set<String> SECRET_WORDS = Set.of("token", "pwd");

    private static final Pattern WORD_BOUNDARY = Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");

    /** Credential formats recognisable by their shape alone. */
    private static final List<Pattern> CREDENTIALS = List.of(
            Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)"),
            Pattern.compile("(?i)\\bbearer\\s+[A-Za-z0-9._~+/=-]{8,}"),
            // HTTP basic credentials: base64 of user:password, which mixes cases (plain words after "basic" do not).
            Pattern.compile("\\b(?i:basic)\\s+(?=[A-Za-z0-9+/]*[A-Z])(?=[A-Za-z0-9+/]*[a-z])[A-Za-z0-9+/]{8,}={0,2}"),
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),
            Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}"),
            Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}"),
            Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{20,}"),
            Pattern.compile("\\bglpat-[A-Za-z0-9_-]{20,}"),
            Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"),
            Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"),
            Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}"),
            Pattern.compile("\\bnpm_[A-Za-z0-9]{36}\\b"));
    /** The password of a URL: {@code https://user:password@host}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/\\s:@]+:)[^/\\s@]+@");
    /** {@code name=value} and {@code name: value} in free text and in arguments. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "([A-Za-z_][A-Za-z0-9_.-]*)(\"?\\s*[=:]\\s*\"?)([^\\s\"',;&]+)");
    private static final Pattern FLAG = Pattern.compile("--?([A-Za-z][A-Za-z0-9_.-]*)");

    private Redactor() {}

    /** Whether a key names a secret: {@code token}, {@code githubToken}, {@code x-api-key}, {@code PRIVATE_KEY}. */
    public static boolean isSecretKey(String key) {
        String flat = key.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
        for (String part : SECRET_PARTS) {
            if (flat.contains(part)) {
                return true;
            }
        }
        for (String raw : WORD_BOUNDARY.split(key)) {
            String word = raw.toLowerCase(Locale.ROOT);
            if (SECRET_WORDS.contains(word) || word.endsWith("token")) {
                return true;
            }
        }
        return false;
    }

    /** A copy of {@code node} with every secret replaced by {@link #REDACTED}; the input is not changed. */
    public static JsonNode redact(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = field.getValue();
                copy.set(field.getKey(), isSecretKey(field.getKey()) && !value.isNull() && !value.isBoolean()
                        ? TextNode.valueOf(REDACTED)
                        : redact(value));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            boolean secretFlagBefore = false;
            for (JsonNode element : node) {
                if (secretFlagBefore && element.isValueNode() && !element.isNull()) {
                    copy.add(REDACTED); // the value of "--token VALUE"
                    secretFlagBefore = false;
                    continue;
                }
                copy.add(redact(element));
                secretFlagBefore = element.isTextual() && isSecretFlag(element.textValue());
            }
            return copy;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            String redacted = text(text);
            return redacted.equals(text) ? node : TextNode.valueOf(redacted);
        }
        return node;
    }

    /** Free text (a message, an exception's message) with credentials and secret assignments replaced. */
    public static String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (Pattern credential : CREDENTIALS) {
            result = credential.matcher(result).replaceAll(REDACTED);
        }
        result = URL_PASSWORD.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(REDACTED) + "@");
        Matcher assignment = ASSIGNMENT.matcher(result);
        StringBuilder out = new StringBuilder();
        while (assignment.find()) {
            String replacement = isSecretKey(assignment.group(1))
                    ? assignment.group(1) + assignment.group(2) + REDACTED
                    : assignment.group();
            assignment.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        assignment.appendTail(out);
        return out.toString();
    }

    private static boolean isSecretFlag(String argument) {
        Matcher flag = FLAG.matcher(argument);
        return flag.matches() && isSecretKey(flag.group(1));
    }
}
