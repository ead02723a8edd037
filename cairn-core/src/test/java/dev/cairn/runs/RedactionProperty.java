package dev.cairn.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.runs.Redactor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * For random text around it and a random secret, no shape of secret in free text survives redaction, and its name
 * does. The surrounding text has no digits and every secret starts with one, so the secret cannot be found in the
 * text by chance: a hit is a leak.
 */
class RedactionProperty {
    /** Shapes: {@code %s} is the secret; the name that must stay readable is what precedes it. */
    private static final String[] SHAPES = {"--token %s", "--api-key %s", "--token=%s", "password='%s'",
        "password: '%s'", "password: \"%s\"", "{\"password\": \"%s\"}", "Authorization: Bearer %s", "API_KEY=%s",
        "X-Api-Key: %s", "https://user:%s@host/x", "https://h/x?access_token=%s&a=b", "secret = %s",
        "--password \"%s\""};

    @Property(tries = 2000)
    void noSecretSurvives(@ForAll("surroundings") String before, @ForAll("surroundings") String after,
            @ForAll("secrets") String secret, @ForAll("shapes") int shape) {
        if (SHAPES[shape].contains("@")) {
            secret = secret.replace("/", "%2F"); // a URL's userinfo has its slashes percent-encoded, or it ends there
        }
        String text = before + " " + SHAPES[shape].formatted(secret) + " " + after;
        String redacted = Redactor.text(text);
        Statistics.collect(SHAPES[shape]);
        assertThat(redacted).as(text).doesNotContain(secret).contains(Redactor.REDACTED)
                .contains(SHAPES[shape].substring(0, SHAPES[shape].indexOf("%s")).replace("user:", ""));
    }

    @Provide
    Arbitrary<String> surroundings() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzTOKEN .,;:!?()-_/'").ofMaxLength(30);
    }

    /** Starting with a digit, so never inside the surroundings; quoted shapes may hold spaces. */
    @Provide
    Arbitrary<String> secrets() {
        return Arbitraries.strings().withChars("abcXYZ0123456789._~+/-").ofMinLength(0).ofMaxLength(20)
                .map(tail -> "7" + tail);
    }

    @Provide
    Arbitrary<Integer> shapes() {
        return Arbitraries.integers().between(0, SHAPES.length - 1);
    }
}
