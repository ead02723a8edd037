package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The quick scan of payloads never accepts what Jackson refuses, and accepts the payloads agents write: texts built
 * from JSON's own pieces (valid and broken ones, shuffled), random texts, and a list of edge cases.
 */
class JsonObjectScanProperty {
    /** Jackson's verdict, as EventData's full check reaches it. */
    static boolean jacksonAccepts(String text) {
        try (JsonParser parser = EventJson.parser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (Exception e) {
            return false;
        }
    }

    @Property(tries = 5000)
    void whatTheScanAcceptsJacksonAccepts(@ForAll("jsonish") String text) {
        if (JsonObjectScan.surelyObject(text)) {
            assertThat(jacksonAccepts(text)).as("Jackson refuses %s, which the scan accepted", text).isTrue();
        }
    }

    @Property(tries = 3000)
    void randomTextsToo(@ForAll("noise") String text) {
        if (JsonObjectScan.surelyObject(text)) {
            assertThat(jacksonAccepts(text)).as("Jackson refuses %s, which the scan accepted", text).isTrue();
        }
    }

    @Property(tries = 5000)
    void aWellFormedObjectWithOnePieceInsertedIsAcceptedOnlyIfJacksonAgrees(@ForAll("objects") String object,
            @ForAll("pieces") String piece, @ForAll double where) {
        int at = (int) (Math.abs(where) % 1 * (object.length() + 1));
        String text = object.substring(0, at) + piece + object.substring(at);
        if (JsonObjectScan.surelyObject(text)) {
            assertThat(jacksonAccepts(text)).as("Jackson refuses %s, which the scan accepted", text).isTrue();
        }
    }

    @Property(tries = 2000)
    void wellFormedObjectsAreAccepted(@ForAll("objects") String text) {
        assertThat(JsonObjectScan.surelyObject(text)).as(text).isTrue();
    }

    @Test
    void edgeCases() {
        for (String yes : List.of("{}", " {} ", "{\"a\":1}", "{\"a\":-0.5e+10,\"b\":[true,false,null,\"\\u00e9\\n\"]}",
                "{\"\":{}}", "\t{\"a\" : [ ] }\r\n", "{\"é\":\"日本\"}", "{\"a\":\"\\/\\b\\f\\r\\t\\\\\\\"\"}")) {
            assertThat(JsonObjectScan.surelyObject(yes)).as(yes).isTrue();
            assertThat(jacksonAccepts(yes)).as(yes).isTrue();
        }
        for (String no : List.of("", "[]", "1", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}", "{\"a\":01}",
                "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}",
                "{\"a\":\"\u0001\"}", "{'a':1}", "{a:1}", "{} {}", "{}x", "{\"a\":NaN}", "{\"a\":1e}", "{\"a\":-}",
                "{\"a\":\"\ud800\"}", "/**/{}", "\ufeff{}", "{\"a\":1}\u0000")) {
            assertThat(JsonObjectScan.surelyObject(no)).as(no).isFalse();
        }
        String deep = "{\"a\":".repeat(JsonObjectScan.MAX_DEPTH) + "1" + "}".repeat(JsonObjectScan.MAX_DEPTH);
        assertThat(JsonObjectScan.surelyObject(deep)).isTrue();
        String deeper = "{\"a\":".repeat(JsonObjectScan.MAX_DEPTH + 1) + "1" + "}".repeat(JsonObjectScan.MAX_DEPTH + 1);
        assertThat(JsonObjectScan.surelyObject(deeper)).as("left to Jackson").isFalse();
        assertThat(jacksonAccepts(deeper)).isTrue();
    }

    @Provide
    Arbitrary<String> jsonish() {
        return pieces().list().ofMinSize(1).ofMaxSize(30).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> pieces() {
        return Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\"a\"", "\"\\u00e9\"", "\"\\q\"",
                "1", "-", "0", "01", "1.5", ".", "e", "E+3", "true", "tru", "null", "false", " ", "\n", "\\", "x",
                "\u0001", "\ud83d\ude00", "\ud800", "é", "/", "*", "'", "NaN", ",}", ",]", "\t", "\u0000");
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().withChars("{}[]:,\"\\ 0123456789.-+eEtruefalsn\n\t").ofMinLength(1)
                .ofMaxLength(40).map(s -> "{" + s);
    }

    @Provide
    Arbitrary<String> objects() {
        return value(4).map(v -> "{\"k\":" + v + "}");
    }

    private Arbitrary<String> value(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf).filter(d -> !d.contains("Infinity") && !d.contains("NaN")),
                Arbitraries.strings().ofMaxLength(12)
                        .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)))
                        .map(s -> EventJson.write(s)),
                Arbitraries.of("true", "false", "null"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> array = value(depth - 1).list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> object = Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(6), value(depth - 1))
                .as((k, v) -> "{\"" + k + "\": " + v + "}");
        return Arbitraries.oneOf(scalar, array, object);
    }
}
