package dev.cairn.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cairn.Cairn;
import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.RecordedEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Any Java string (any char, paired or not, NUL included) in a payload field reads back equal, whether the payload
 * was given as a tree or as JSON text with escapes. One store serves every try, so later tries read among earlier
 * events.
 */
class ExactTextProperty {
    /** The open store of each variant (this class and its PostgreSQL subclass), by class. */
    private static final Map<Class<?>, Cairn> STORES = new ConcurrentHashMap<>();

    /** A store for the whole property: a SQLite file here, a PostgreSQL schema in the Postgres variant. */
    String freshStore() throws Exception {
        return Files.createTempDirectory("cairn-text").resolve("text.db").toString();
    }

    @Property(tries = 300)
    void anyStringInAPayloadFieldReadsBackEqual(@ForAll("anyChars") String text) throws Exception {
        Cairn db = STORES.get(getClass());
        if (db == null) {
            db = Cairn.open(freshStore());
            STORES.put(getClass(), db);
        }
        EventData fromTree = EventData.of("note.taken", JsonNodeFactory.instance.objectNode().put("text", text));
        EventData fromText = EventData.of("note.taken", "{\"text\":\"" + ExactTextTest.escaped(text) + "\"}");
        List<RecordedEvent> appended = db.events().append("note:n1", ExpectedVersion.any(), fromTree, fromText);
        List<RecordedEvent> read = db.events().readStream("note:n1", appended.get(0).streamVersion()).toList();
        assertThat(read).isEqualTo(appended);
        assertThat(read).extracting(e -> e.payloadTree().get("text").textValue()).containsExactly(text, text);
    }

    /** Strings of any UTF-16 code units, weighted towards surrogates and NUL, where text goes wrong. */
    @Provide
    Arbitrary<String> anyChars() {
        Arbitrary<Character> unit = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.chars().all()),
                net.jqwik.api.Tuple.of(3, Arbitraries.chars().range('\uD800', '\uDFFF')),
                net.jqwik.api.Tuple.of(1, Arbitraries.of('\u0000', '"', '\\', '\u2028')),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().withCharRange('\u0020', '\u007E').ofLength(1)
                        .map(s -> s.charAt(0))));
        return unit.list().ofMaxSize(24).map(units -> {
            StringBuilder out = new StringBuilder();
            units.forEach(out::append);
            return out.toString();
        });
    }

    @AfterContainer
    static void close() {
        STORES.values().forEach(Cairn::close);
        STORES.clear();
    }
}
