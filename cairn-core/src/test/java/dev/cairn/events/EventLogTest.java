package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.Cairn;
import dev.cairn.ConflictException;
import dev.cairn.InvalidInputException;
import dev.cairn.TransactionStateException;
import dev.cairn.WrongExpectedVersionException;
import dev.cairn.events.orchestration.Orchestration;
import dev.cairn.events.orchestration.Role;
import dev.cairn.events.orchestration.ThreadEvent;
import dev.cairn.internal.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {
    private static final Instant NOW = Instant.parse("2026-04-17T10:00:00Z");

    @TempDir
    Path dir;

    /** Where the store under test lives: a SQLite file here, a PostgreSQL schema in the Postgres variant. */
    String location() {
        return dir.resolve("events.db").toString();
    }

    Cairn db;
    EventLog log;

    @BeforeEach
    void open() {
        db = Cairn.builder().location(location()).clock(Clock.fixed(NOW, ZoneOffset.UTC)).open();
        log = db.events();
    }

    @AfterEach
    void close() {
        db.close();
    }

    static EventData event(String type, int n) {
        return EventData.of(type, "{\"n\":" + n + "}");
    }

    @Test
    void replayOfAnEmptyLogIsEmpty() {
        assertThat(log.replayAll()).isEmpty();
        assertThat(log.lastPosition()).isEqualTo(LogPosition.START);
    }

    @Test
    void oneAppendComesBackWithItsSequenceAndPayload() {
        EventData data = EventData.of("note.added", "{\"text\":\"hello\",\"tags\":[1,2]}")
                .withMetadata(EventMetadata.of(ActorKind.CLIENT).withCorrelationId("c-1").with("host", "laptop"));
        List<RecordedEvent> stored = log.append("note:1", ExpectedVersion.noStream(), data);

        List<RecordedEvent> replayed = log.replayAll().toList();
        assertThat(replayed).containsExactlyElementsOf(stored);
        RecordedEvent event = replayed.get(0);
        assertThat(event.sequence()).isEqualTo(1);
        assertThat(event.streamVersion()).isZero();
        assertThat(data.eventId()).as("an event's id unless chosen: given by the store").isNull();
        assertThat(event.eventId().version()).isEqualTo(7);
        assertThat(event.eventId().getMostSignificantBits() >>> 16).as("its time").isEqualTo(NOW.toEpochMilli());
        assertThat(event.payloadTree()).isEqualTo(Json.tree("{\"text\":\"hello\",\"tags\":[1,2]}"));
        assertThat(event.metadata()).isEqualTo(data.metadata());
        assertThat(event.recordedAt()).isEqualTo(NOW);
        assertThat(event.occurredAt()).isEqualTo(NOW);
    }

    @Test
    void aBatchHasContiguousSequencesAndVersions() {
        log.append("note:0", ExpectedVersion.any(), event("note.added", 0));
        List<RecordedEvent> batch = log.append("note:1", ExpectedVersion.any(),
                event("note.added", 1), event("note.added", 2), event("note.added", 3));
        assertThat(batch).extracting(RecordedEvent::sequence).containsExactly(2L, 3L, 4L);
        assertThat(batch).extracting(RecordedEvent::streamVersion).containsExactly(0L, 1L, 2L);
        assertThat(log.lastPosition()).isEqualTo(batch.get(2).position());
        assertThat(batch).extracting(RecordedEvent::position).isSorted();
    }

    @Test
    void replayFromReturnsOnlyLaterEventsInOrder() {
        List<LogPosition> positions = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            positions.add(log.append("note:" + (i % 2), ExpectedVersion.any(), event("note.added", i)).get(0)
                    .position());
        }
        assertThat(positions).isSorted();
        assertThat(log.replayFrom(positions.get(2))).extracting(RecordedEvent::sequence).containsExactly(4L, 5L);
        assertThat(log.replayFrom(positions.get(4))).isEmpty();
        assertThat(log.replayFrom(LogPosition.START)).hasSize(5);
        // A position survives its text form: what a reader stores between runs.
        assertThat(log.replayFrom(LogPosition.parse(positions.get(2).toString())))
                .extracting(RecordedEvent::sequence).containsExactly(4L, 5L);
    }

    @Test
    void readsFilterByStreamAndTypeAndLimitAcrossPages() {
        for (int i = 0; i < 2500; i++) {
            log.append(i % 2 == 0 ? "even:x" : "odd:x", ExpectedVersion.any(),
                    event(i % 3 == 0 ? "third" : "other", i));
        }
        assertThat(log.read(EventQuery.all().stream("even:x"))).hasSize(1250)
                .allMatch(e -> e.streamId().equals("even:x"));
        assertThat(log.read(EventQuery.all().types("third"))).hasSize(834);
        LogPosition hundredth = log.replayAll().skip(99).findFirst().orElseThrow().position();
        assertThat(log.read(EventQuery.all().after(hundredth).limit(7))).extracting(RecordedEvent::sequence)
                .containsExactly(101L, 102L, 103L, 104L, 105L, 106L, 107L);
        assertThat(log.readStream("odd:x", 1200)).extracting(RecordedEvent::streamVersion)
                .containsExactly(1200L, 1201L, 1202L, 1203L, 1204L, 1205L, 1206L, 1207L, 1208L, 1209L, 1210L, 1211L,
                        1212L, 1213L, 1214L, 1215L, 1216L, 1217L, 1218L, 1219L, 1220L, 1221L, 1222L, 1223L, 1224L,
                        1225L, 1226L, 1227L, 1228L, 1229L, 1230L, 1231L, 1232L, 1233L, 1234L, 1235L, 1236L, 1237L,
                        1238L, 1239L, 1240L, 1241L, 1242L, 1243L, 1244L, 1245L, 1246L, 1247L, 1248L, 1249L);
        assertThat(log.replayAll()).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates()
                .hasSize(2500);
    }

    @Test
    void readsEndingJustBeforeOnOrAfterAPageBoundaryDeliverEveryEventOnce() {
        // A page reads one event past its size (1000) to know whether it is the last: around the boundary, a read
        // must neither stop early, skip the event it looked ahead to, nor deliver it twice.
        List<EventData> events = new ArrayList<>();
        for (int i = 0; i < 2003; i++) {
            events.add(event("note.added", i));
        }
        log.append("note:1", ExpectedVersion.noStream(), events);
        List<LogPosition> all = log.replayAll().map(RecordedEvent::position).toList();
        assertThat(all).hasSize(2003).isSorted().doesNotHaveDuplicates();
        for (int remaining : new int[] {0, 1, 999, 1000, 1001, 1002, 1003, 2001, 2002}) {
            assertThat(log.replayFrom(all.get(all.size() - remaining - 1))).as("the last %d events", remaining)
                    .extracting(RecordedEvent::position).containsExactlyElementsOf(all.subList(all.size() - remaining,
                            all.size()));
        }
        for (long from : new long[] {0, 1, 1001, 1002, 1003, 2002}) {
            assertThat(log.readStream("note:1", from)).as("from version %d", from)
                    .extracting(RecordedEvent::streamVersion)
                    .containsExactlyElementsOf(LongStream.range(from, 2003).boxed().toList());
        }
    }

    @Test
    void aWrongExpectedVersionWritesNothing() {
        log.append("note:1", ExpectedVersion.noStream(), event("note.added", 1), event("note.added", 2));

        assertThatThrownBy(() -> log.append("note:1", ExpectedVersion.noStream(), event("note.added", 3)))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                    assertThat(e.streamId()).isEqualTo("note:1");
                    assertThat(e.expected()).isEqualTo("no stream");
                    assertThat(e.actual()).isEqualTo(1);
                    assertThat(e).hasMessageContaining("note:1").hasMessageContaining("version 1");
                });
        assertThatThrownBy(() -> log.append("note:1", ExpectedVersion.exact(0), event("note.added", 3)))
                .isInstanceOf(WrongExpectedVersionException.class).hasMessageContaining("at version 0");
        assertThatThrownBy(() -> log.append("note:2", ExpectedVersion.streamExists(), event("note.added", 3)))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actual()).isEqualTo(-1));
        assertThat(log.lastPosition().sequence()).isEqualTo(2);
        assertThat(log.replayAll()).hasSize(2);

        log.append("note:1", ExpectedVersion.exact(1), event("note.added", 3));
        log.append("note:1", ExpectedVersion.streamExists(), event("note.added", 4));
        assertThat(log.streamVersion("note:1")).isEqualTo(3);
        assertThat(log.streamVersion("note:2")).isEqualTo(-1);
    }

    @Test
    void anAtomicBatchAcrossStreamsWritesNothingWhenOneExpectationFails() {
        log.append("b:1", ExpectedVersion.any(), event("x", 0));
        assertThatThrownBy(() -> log.appendAll(List.of(
                StreamAppend.of("a:1", ExpectedVersion.noStream(), event("x", 1)),
                StreamAppend.of("b:1", ExpectedVersion.noStream(), event("x", 2)))))
                .isInstanceOf(WrongExpectedVersionException.class);
        assertThat(log.replayAll()).hasSize(1);

        List<RecordedEvent> both = log.appendAll(List.of(
                StreamAppend.of("a:1", ExpectedVersion.noStream(), event("x", 1)),
                StreamAppend.of("b:1", ExpectedVersion.exact(0), event("x", 2)),
                StreamAppend.of("a:1", ExpectedVersion.exact(0), event("x", 3))));
        assertThat(both).extracting(RecordedEvent::sequence).containsExactly(2L, 3L, 4L);
        assertThat(both).extracting(RecordedEvent::streamVersion).containsExactly(0L, 1L, 1L);
    }

    @Test
    void aFailingEventInABatchLeavesNothing() {
        UUID id = UUID.randomUUID();
        log.append("note:1", ExpectedVersion.any(), event("x", 0).withEventId(id));
        assertThatThrownBy(() -> log.append("note:2", ExpectedVersion.any(),
                event("x", 1), event("x", 2), event("x", 3).withEventId(id), event("x", 4)))
                .isInstanceOf(ConflictException.class);
        assertThat(log.replayAll()).hasSize(1);
        assertThat(log.streamVersion("note:2")).isEqualTo(-1);
        // Sequences are never reused; a PostgreSQL sequence object does not take back those the failed append took.
        assertThat(log.append("note:2", ExpectedVersion.noStream(), event("x", 5)).get(0).sequence())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void badInputIsRejectedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> log.append("Thread 1", ExpectedVersion.any(), event("x", 1)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("kind:id");
        assertThatThrownBy(() -> log.append("thread:", ExpectedVersion.any(), event("x", 1)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> EventData.of("x", "[1,2]")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> EventData.of("x", "{\"a\":1} trailing")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> EventData.of("x", "{\"a\":")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> EventData.of("x", (String) null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> EventData.of("no spaces", "{}")).isInstanceOf(InvalidInputException.class);
        String big = "{\"text\":\"" + "é".repeat(EventData.MAX_PAYLOAD_BYTES / 2) + "\"}";
        assertThatThrownBy(() -> EventData.of("x", big)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("over the limit");
        assertThatThrownBy(() -> log.append("a:1", null, event("x", 1))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> log.append("a:1", ExpectedVersion.any(), List.of()))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ThreadEvent.MessageSent("t1", "m1", null, null, "hi", false))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("role");
        assertThatThrownBy(() -> log.append("a:1", ExpectedVersion.any(),
                event("x", 1).withMetadata(EventMetadata.EMPTY.withCommandId("c1")),
                event("x", 2).withMetadata(EventMetadata.EMPTY.withCommandId("c2"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("two command ids");
        assertThat(log.lastPosition()).isEqualTo(LogPosition.START);
    }

    @Test
    void anAppendWithACommandIdSeenBeforeReturnsTheFirstResult() {
        EventMetadata command = EventMetadata.of(ActorKind.CLIENT).withCommandId("cmd-42");
        List<RecordedEvent> first = log.append("note:1", ExpectedVersion.noStream(),
                event("x", 1).withMetadata(command), event("x", 2).withMetadata(command));
        // The retry would fail its expectation if it ran again: it does not, it returns the first result.
        List<RecordedEvent> retry = log.append("note:1", ExpectedVersion.noStream(),
                event("x", 1).withMetadata(command), event("x", 2).withMetadata(command));
        assertThat(retry).isEqualTo(first);
        assertThat(log.replayAll()).hasSize(2);
        assertThat(log.append("note:1", ExpectedVersion.exact(1),
                event("x", 3).withMetadata(command.withCommandId("cmd-43")))).hasSize(1);
        assertThat(log.replayAll()).hasSize(3);
    }

    /** One event with a command id: its own path on PostgreSQL (cairn_append_one), the same rules. */
    @Test
    void aOneEventCommandIsAppendedOnceAndARefusedOneLeavesNoReceipt() {
        EventMetadata command = EventMetadata.of(ActorKind.CLIENT).withCommandId("cmd-one");
        assertThatThrownBy(() -> log.append("note:1", ExpectedVersion.exact(5), event("x", 1).withMetadata(command)))
                .isInstanceOf(WrongExpectedVersionException.class);
        List<RecordedEvent> first = log.append("note:1", ExpectedVersion.noStream(), event("x", 1).withMetadata(command));
        List<RecordedEvent> retry = log.append("note:1", ExpectedVersion.noStream(), event("x", 1).withMetadata(command));
        assertThat(retry).isEqualTo(first);
        assertThat(log.replayAll()).containsExactlyElementsOf(first);
        assertThat(first.get(0).streamVersion()).isZero();
        // In a transaction that goes on after the refusal, nothing of the refused command stays behind either.
        EventMetadata again = EventMetadata.of(ActorKind.CLIENT).withCommandId("cmd-two");
        List<RecordedEvent> second = db.inTransaction(tx -> {
            assertThatThrownBy(() -> tx.events().append("note:1", ExpectedVersion.noStream(),
                    event("x", 2).withMetadata(again))).isInstanceOf(WrongExpectedVersionException.class);
            return tx.events().append("note:1", ExpectedVersion.exact(0), event("x", 2).withMetadata(again));
        });
        assertThat(second).extracting(RecordedEvent::streamVersion).containsExactly(1L);
        assertThat(log.replayAll()).hasSize(2);
    }

    @Test
    void appendsInATransactionCommitOrRollBackWithIt() {
        db.useTransaction(tx -> tx.events().append("note:1", ExpectedVersion.noStream(), event("x", 1)));
        try (var tx = db.begin()) {
            tx.events().append("note:1", ExpectedVersion.exact(0), event("x", 2));
            assertThat(tx.events().streamVersion("note:1")).isEqualTo(1);
            assertThat(db.events().streamVersion("note:1")).isZero();
            assertThatThrownBy(() -> tx.events().subscribe(LogPosition.START, e -> {}))
                    .isInstanceOf(TransactionStateException.class);
            tx.rollback();
        }
        assertThat(log.replayAll()).hasSize(1);
    }

    @Test
    void deletingAStreamRemovesItsEventsAndNeverReusesSequences() {
        log.append("note:1", ExpectedVersion.any(), event("x", 1));
        log.append("note:2", ExpectedVersion.any(), event("x", 2), event("x", 3));
        assertThat(log.deleteStream("note:2")).isEqualTo(2);
        assertThat(log.replayAll()).extracting(RecordedEvent::streamId).containsExactly("note:1");
        assertThat(log.lastPosition().sequence()).isEqualTo(1);
        RecordedEvent again = log.append("note:2", ExpectedVersion.noStream(), event("x", 4)).get(0);
        assertThat(again.sequence()).isEqualTo(4);
        assertThat(log.lastPosition()).isEqualTo(again.position());
        assertThat(again.streamVersion()).isZero();
        assertThat(log.deleteStream("note:404")).isZero();
    }

    @Test
    void unknownTypesReadRawAndDecodeToNothing() {
        log.append("thread:t1", ExpectedVersion.any(), EventData.of("thread.hologram-projected", "{\"beam\":7}")
                .withSchemaVersion(9));
        RecordedEvent raw = log.replayAll().findFirst().orElseThrow();
        assertThat(raw.type()).isEqualTo("thread.hologram-projected");
        assertThat(raw.schemaVersion()).isEqualTo(9);
        assertThat(raw.payloadTree().get("beam").asInt()).isEqualTo(7);
        assertThat(Orchestration.decode(raw)).isEmpty();
        assertThat(db.projections().thread("t1")).isEmpty();
    }

    /** A catalogue whose {@code note.added} went from {@code body} (v1) to {@code text} (v2) to text and lang (v3). */
    sealed interface NoteEvent {
        @EventType(value = "note.added", version = 3)
        record Added(String text, String lang) implements NoteEvent {}
    }

    @Test
    void oldPayloadsAreUpcastOnReadOneStepPerSchemaChange() {
        EventCatalogue<NoteEvent> catalogue = EventCatalogue.of(NoteEvent.class,
                Upcaster.of("note.added", 1, p -> (ObjectNode) p.set("text", p.remove("body"))),
                Upcaster.of("note.added", 2, p -> p.put("lang", "en")));
        log.append("note:1", ExpectedVersion.any(), EventData.of("note.added", "{\"body\":\"v1\"}"),
                EventData.of("note.added", "{\"text\":\"v2\"}").withSchemaVersion(2),
                catalogue.toData(new NoteEvent.Added("v3", "fr")));
        assertThat(log.replayAll().map(catalogue::decode).map(java.util.Optional::orElseThrow)).containsExactly(
                new NoteEvent.Added("v1", "en"), new NoteEvent.Added("v2", "en"), new NoteEvent.Added("v3", "fr"));
        assertThat(log.replayAll()).extracting(RecordedEvent::schemaVersion).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> EventCatalogue.of(NoteEvent.class, Upcaster.of("note.added", 3, p -> p)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void typedEventsGoThroughTheLogWithTheirMetadata() {
        var sent = new ThreadEvent.MessageSent("t1", "m1", null, Role.USER, "hello", false);
        EventMetadata metadata = new EventMetadata(ActorKind.PROVIDER, null, "cause", "corr", Map.of("k", "v"));
        RecordedEvent stored = log.append(sent.streamId(), ExpectedVersion.any(), Orchestration.data(sent, metadata))
                .get(0);
        assertThat(stored.streamId()).isEqualTo("thread:t1");
        assertThat(Orchestration.decode(log.replayAll().findFirst().orElseThrow())).contains(sent);
        assertThat(log.replayAll().findFirst().orElseThrow().metadata()).isEqualTo(metadata);
    }
}
