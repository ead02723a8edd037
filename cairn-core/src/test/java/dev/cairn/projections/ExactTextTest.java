package dev.cairn.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.RecordedEvent;
import dev.cairn.events.orchestration.Orchestration;
import dev.cairn.events.orchestration.OrchestrationEvent;
import dev.cairn.events.orchestration.Role;
import dev.cairn.events.orchestration.ThreadEvent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text goes into the store and comes back exactly: payloads holding any Java string (unpaired surrogates, reversed
 * pairs, NUL, every plane), and a transcript whose emoji was split between two streamed deltas. What cannot be kept
 * exactly is refused, the same way on every backend.
 */
class ExactTextTest {
    @TempDir
    Path dir;

    /** Where the store under test lives: a SQLite file here, a PostgreSQL schema in the Postgres variant. */
    String location() {
        return dir.resolve("text.db").toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD83D", "\uDE00", "a\uD83Db", "x\uDE00\uD83Dy", "\uDBFF\uDFFF\uD800", "\u0000",
        "nul\u0000in\u0000side", "\u0001\u001F\u007F", "A\u00E9\u4E2D\uD83D\uDE00\uDB40\uDC01\uDBFF\uDFFD\uFFFF",
        "\"\\\u2028\u2029", "\uD800\uD800\uDC00\uDC00"})
    void aPayloadFieldReadsBackAsAppended(String text) {
        try (Cairn db = Cairn.open(location())) {
            // as a tree (written by Cairn) and as JSON text with the surrogates escaped by the caller
            EventData fromTree = EventData.of("note.taken", JsonNodeFactory.instance.objectNode().put("text", text));
            EventData fromText = EventData.of("note.taken", "{\"text\":\"" + escaped(text) + "\"}");
            List<RecordedEvent> appended = db.events().append("note:n1", ExpectedVersion.any(), fromTree, fromText);
            List<RecordedEvent> read = db.events().readStream("note:n1", 0).toList();
            assertThat(read).isEqualTo(appended);
            for (RecordedEvent event : read) {
                assertThat(event.payloadTree().get("text").textValue()).isEqualTo(text);
            }
        }
    }

    @Test
    void anEmojiSplitBetweenTwoDeltasJoinsAgainInTheTranscript() {
        String[] halves = {"Hi \uD83D", "\uDE00!"};
        try (Cairn db = Cairn.open(location())) {
            record(db, new ThreadEvent.MessageSent("t1", "m1", null, Role.ASSISTANT, "", true),
                    new ThreadEvent.MessageDeltaAppended("t1", "m1", halves[0]));
            assertThat(text(db)).as("the first half is kept, not replaced").isEqualTo(halves[0]);
            record(db, new ThreadEvent.MessageDeltaAppended("t1", "m1", halves[1]));
            assertThat(text(db)).isEqualTo("Hi \uD83D\uDE00!");
            // a message sent whole with the high half at its end, completed by the next delta
            record(db, new ThreadEvent.MessageSent("t1", "m2", null, Role.ASSISTANT, "\uD83D", true),
                    new ThreadEvent.MessageDeltaAppended("t1", "m2", "\uDE00"),
                    new ThreadEvent.MessageCompleted("t1", "m2"));
            assertThat(db.projections().messages("t1", 10, null).items()).extracting(MessageView::text)
                    .containsExactly("Hi \uD83D\uDE00!", "\uD83D\uDE00");
            // a rebuild from the log joins them the same way
            db.projections().rebuild((position, head) -> { });
            assertThat(db.projections().messages("t1", 10, null).items()).extracting(MessageView::text)
                    .containsExactly("Hi \uD83D\uDE00!", "\uD83D\uDE00");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "half \uD83D then more", "\uDE00 low first"})
    void transcriptTextThatCannotBeKeptIsRefusedAndNothingIsWritten(String text) {
        try (Cairn db = Cairn.open(location())) {
            record(db, new ThreadEvent.MessageSent("t1", "m1", null, Role.ASSISTANT, "ok", true));
            assertThatThrownBy(() -> record(db, new ThreadEvent.MessageDeltaAppended("t1", "m1", text)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("thread.message-delta-appended").hasMessageContaining("thread:t1")
                    .hasMessageContaining("m1");
            assertThatThrownBy(() -> record(db, new ThreadEvent.MessageSent("t1", "m2", null, Role.USER, text,
                    false))).isInstanceOf(InvalidInputException.class).hasMessageContaining("m2");
            assertThat(db.events().readStream("thread:t1", 0).count()).as("the refused events were not appended")
                    .isEqualTo(1);
            assertThat(text(db)).isEqualTo("ok");
        }
    }

    private static void record(Cairn db, OrchestrationEvent... events) {
        for (OrchestrationEvent event : events) {
            db.events().append(event.streamId(), ExpectedVersion.any(), Orchestration.data(event));
        }
    }

    private static String text(Cairn db) {
        return db.projections().messages("t1", 10, null).items().get(0).text();
    }

    /** JSON string content with every char outside printable ASCII, and quote and backslash, as a \\u escape. */
    static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        for (char ch : text.toCharArray()) {
            if (ch < 0x20 || ch > 0x7E || ch == '"' || ch == '\\') {
                out.append(String.format("\\u%04X", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
