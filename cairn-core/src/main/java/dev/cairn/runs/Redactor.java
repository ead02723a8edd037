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
 * any depth, credential-shaped text anywhere, and in any text {@code name=value} / {@code name: value} pairs (the
 * value bare, {@code 'single'} or {@code "double"} quoted, the name quoted too as in JSON), {@code --flag value} and
 * {@code --flag=value} with a secret name, {@code Authorization: Scheme credentials} and URL passwords. The name
 * stays, so a reader sees what was hidden: {@code --token ***REDACTED***}, {@code password='***REDACTED***'}.
 * The database must never hold a secret, so this errs on the side of redacting too much; a secret word in prose
 * that assigns nothing ("the token expired", "token count 5") is kept.
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
    /** A bearer token wherever it stands (the word "Bearer" is kept): {@code Bearer abc.def-123456}. */
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=-]{8,}");
    /** The password of a URL: {@code https://user:password@host}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/\\s:@]+:)[^/\\s@]+@");
    /**
     * {@code name=value} and {@code name: value} in free text and in arguments: group 1 the name, 2 what joins them
     * (with the closing quote of a quoted name), then the value: 3 double-quoted (JSON escapes allowed), 4
     * single-quoted, or 5 an authorization scheme and 6 a bare value.
     */
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)([\"']?\\s*[=:]\\s*)"
            + "(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'"
            + "|((?i:bearer|basic|digest|negotiate|token)\\s+)?([^\\s\"',;&]+))");
    /** {@code --name value} in free text (arguments given as one string): the value does not start with a dash. */
    private static final Pattern FLAG_AND_VALUE = Pattern.compile("(?<![A-Za-z0-9_-])(--?)([A-Za-z][A-Za-z0-9_.-]*)"
            + "(\\s+)(?!-)(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|([^\\s\"']+))");
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
        result = BEARER.matcher(result).replaceAll("$1 " + Matcher.quoteReplacement(REDACTED));
        result = URL_PASSWORD.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(REDACTED) + "@");
        result = redactValues(FLAG_AND_VALUE, result, 2, 4, 5, 6);
        return redactValues(ASSIGNMENT, result, 1, 3, 4, 6);
    }

    /**
     * Replaces the value of each match whose name (group {@code nameGroup}) is secret; the value is whichever of
     * {@code valueGroups} matched (double-quoted, single-quoted, bare). Everything else of the match (name,
     * separator, quotes, an authorization scheme) is kept. After a name that is not secret the search goes on right
     * behind the name, so that its value ({@code url: https://h/?access_token=x}) is searched too.
     */
    private static String redactValues(Pattern pattern, String text, int nameGroup, int... valueGroups) {
        Matcher match = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        int from = 0;
        while (from < text.length() && match.find(from)) {
            int value = valueGroups[0];
            for (int group : valueGroups) {
                if (match.group(group) != null) {
                    value = group;
                    break;
                }
            }
            if (isSecretKey(match.group(nameGroup)) && !match.group(value).isEmpty()) {
                out.append(text, copied, match.start(value)).append(REDACTED);
                copied = match.end(value);
                from = match.end();
            } else {
                from = match.end(nameGroup);
            }
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static boolean isSecretFlag(String argument) {
        Matcher flag = FLAG.matcher(argument);
        return flag.matches() && isSecretKey(flag.group(1));
    }
}
