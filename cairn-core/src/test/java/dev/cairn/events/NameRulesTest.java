package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The hand-written checks of stream ids and event types accept exactly what their documented regular expressions
 * accept: strings drawn from the rules' alphabets plus a few characters outside them, around every length limit.
 */
class NameRulesTest {
    static final Pattern STREAM = Pattern.compile(StreamId.FORMAT);
    static final Pattern TYPE = Pattern.compile(EventData.TYPE);

    @Property(tries = 5_000)
    void streamIdsFollowTheirRegularExpression(@ForAll("streamIds") String streamId) {
        boolean expected = STREAM.matcher(streamId).matches();
        Statistics.collect(expected ? "well-formed" : "malformed");
        assertThat(StreamId.wellFormed(streamId)).as(streamId).isEqualTo(expected);
        bothKindsSeen();
    }

    @Property(tries = 5_000)
    void typesFollowTheirRegularExpression(@ForAll("types") String type) {
        boolean expected = TYPE.matcher(type).matches();
        Statistics.collect(expected ? "well-formed" : "malformed");
        assertThat(EventData.wellFormedType(type)).as(type).isEqualTo(expected);
        bothKindsSeen();
    }

    /** Neither answer may pass on few samples: each is at least a tenth of the tries. */
    private static void bothKindsSeen() {
        Statistics.coverage(checker -> {
            checker.check("well-formed").percentage(p -> p > 10);
            checker.check("malformed").percentage(p -> p > 10);
        });
    }

    @Provide
    Arbitrary<String> streamIds() {
        Arbitrary<String> kinds = Arbitraries.strings().withChars("abz09_-A:.").ofMinLength(0).ofMaxLength(42);
        Arbitrary<String> ids = Arbitraries.strings().withChars("aZ09._:-/ é").ofMinLength(0).ofMaxLength(202);
        Arbitrary<String> wellFormedKinds = Arbitraries.strings().withChars("az09_-").ofMinLength(0).ofMaxLength(40)
                .map(rest -> "k" + rest);
        Arbitrary<String> wellFormedIds = Arbitraries.strings().withChars("aZ09._:-").ofMinLength(1).ofMaxLength(201);
        return Arbitraries.oneOf(
                kinds.flatMap(kind -> ids.map(id -> kind + ":" + id)),
                wellFormedKinds.flatMap(kind -> wellFormedIds.map(id -> kind + ":" + id)),
                Arbitraries.strings().withChars("a:-9").ofMaxLength(6));
    }

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("aZ09._-:é ").ofMinLength(0).ofMaxLength(102),
                Arbitraries.strings().withChars("aZ09._-").ofMinLength(0).ofMaxLength(100).map(rest -> "t" + rest));
    }
}
