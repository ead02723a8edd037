package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Backends;
import dev.cairn.Cairn;
import dev.cairn.ConflictException;
import dev.cairn.Ids;
import dev.cairn.PostgresSchema;
import dev.cairn.internal.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events appended without an id of their own get one from the store, derived from their place in the log and not
 * stored ({@code dev.cairn.internal.EventIds}): each id is unique, the same on every read, after reopening and in
 * a copy, and an id the store derived cannot be given to a second event. Events that carry their own id or time keep
 * them, and a log written before migration 0015 reads as it did.
 */
class DerivedEventIdsTest {
    @TempDir
    Path dir;

    String location() {
        return dir.resolve("ids.db").toString();
    }

    @Test
    void idsTheStoreGivesAreUniqueStableAndNotStored() throws SQLException {
        List<RecordedEvent> appended = new ArrayList<>();
        UUID chosen = Ids.next();
        try (Cairn db = Cairn.open(location())) {
            for (int i = 0; i < 200; i++) {
                appended.addAll(db.events().append("s:" + (i % 7), ExpectedVersion.any(), EventData.of("x", "{}")));
            }
            List<EventData> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.add(EventData.of("x", "{\"i\":" + i + "}"));
            }
            appended.addAll(db.events().append("t:batch", ExpectedVersion.noStream(), batch));
            appended.addAll(db.events().appendAll(List.of(
                    new StreamAppend("t:a", ExpectedVersion.any(), List.of(EventData.of("x", "{}"))),
                    new StreamAppend("t:b", ExpectedVersion.any(), List.of(EventData.of("x", "{}").withEventId(chosen),
                            EventData.of("x", "{}"))))));
            assertThat(db.events().replayAll().toList()).isEqualTo(appended);
        }
        Set<UUID> ids = new HashSet<>();
        for (RecordedEvent event : appended) {
            assertThat(ids.add(event.eventId())).as("id of event %d given once", event.sequence()).isTrue();
            assertThat(event.eventId().version()).isEqualTo(7);
            if (!event.eventId().equals(chosen)) {
                assertThat(event.eventId().getMostSignificantBits() >>> 16).as("the id's time")
                        .isEqualTo(event.recordedAt().toEpochMilli());
            }
        }
        try (Cairn db = Cairn.open(location())) {
            assertThat(db.events().replayAll().toList()).as("after reopening").isEqualTo(appended);
            assertThat(db.events().readStream("t:batch", 0).toList()).isEqualTo(appended.subList(200, 1200));
        }
        List<UUID> stored = Backends.storedEventIds(location());
        assertThat(stored).hasSize(appended.size());
        assertThat(stored.stream().filter(id -> id != null)).containsExactly(chosen);
    }

    @Test
    void anIdTheStoreGaveCannotBeGivenToAnotherEventAndNothingIsWritten() {
        try (Cairn db = Cairn.open(location())) {
            List<RecordedEvent> first = db.events().append("t:s", ExpectedVersion.noStream(), EventData.of("x", "{}"),
                    EventData.of("x", "{}"));
            UUID given = first.get(1).eventId();
            LogPosition before = db.events().lastPosition();
            for (List<EventData> events : List.of(List.of(EventData.of("x", "{}").withEventId(given)),
                    List.of(EventData.of("x", "{}"), EventData.of("x", "{}").withEventId(given)))) {
                assertThatThrownBy(() -> db.events().append("t:t", ExpectedVersion.any(), events))
                        .isInstanceOf(ConflictException.class)
                        .hasMessageContaining("event id " + given)
                        .hasMessageContaining("event " + first.get(1).sequence());
            }
            assertThat(db.events().lastPosition()).as("nothing written").isEqualTo(before);
            assertThat(db.events().streamVersion("t:t")).isEqualTo(-1);
            // A chosen id is held by the unique index, as before.
            UUID chosen = db.events().append("t:s", ExpectedVersion.any(), EventData.of("x", "{}")
                    .withEventId(Ids.next())).get(0).eventId();
            assertThatThrownBy(() -> db.events().append("t:t", ExpectedVersion.any(), EventData.of("x", "{}")
                    .withEventId(chosen))).isInstanceOf(ConflictException.class);
            assertThat(db.events().streamVersion("t:t")).isEqualTo(-1);
        }
    }

    @Test
    void eventsWithTheirOwnTimeOrMetadataKeepThemBesideDerivedIds() {
        Instant happened = Instant.parse("2026-01-02T03:04:05.678Z");
        try (Cairn db = Cairn.open(location())) {
            List<RecordedEvent> appended = db.events().append("t:s", ExpectedVersion.noStream(),
                    EventData.of("x", "{}").withOccurredAt(happened),
                    EventData.of("x", "{}").withMetadata(EventMetadata.of(ActorKind.CLIENT).withCommandId("c-1")),
                    EventData.of("x", "{}"));
            List<RecordedEvent> read = db.events().readStream("t:s", 0).toList();
            assertThat(read).isEqualTo(appended);
            assertThat(read.get(0).occurredAt()).isEqualTo(happened);
            assertThat(read.get(1).occurredAt()).isEqualTo(read.get(1).recordedAt());
            assertThat(read.get(1).metadata().commandId()).isEqualTo("c-1");
            assertThat(read).extracting(RecordedEvent::eventId).doesNotContainNull().doesNotHaveDuplicates();
        }
    }

    @Test
    void aLogWrittenBeforeMigration15ReadsAsItDid() throws SQLException {
        Backends.migrateTo(location(), 14);
        List<UUID> old = List.of(Ids.next(), Ids.next());
        try (Connection c = Backends.connect(location());
                PreparedStatement insert = c.prepareStatement("INSERT INTO events (sequence, event_id, stream_id, "
                        + "stream_version, type, schema_version, payload, occurred_at, recorded_at) "
                        + "VALUES (?, ?, 't:old', ?, 'x', 1, '{}', ?, ?)")) {
            for (int i = 0; i < 2; i++) {
                insert.setLong(1, i + 1);
                insert.setObject(2, Backends.isSqlite(location()) ? Sql.bytes(old.get(i)) : old.get(i));
                insert.setLong(3, i);
                insert.setLong(4, i == 0 ? 1000 : 5000); // the first happened before it was recorded
                insert.setLong(5, 5000);
                insert.executeUpdate();
            }
            if (!Backends.isSqlite(location())) { // as appends of that version would have left it
                c.createStatement().execute("SELECT setval('events_sequence', 2)");
            }
        }
        try (Cairn db = Cairn.open(location())) {
            List<RecordedEvent> read = db.events().readStream("t:old", 0).toList();
            assertThat(read).extracting(RecordedEvent::eventId).containsExactlyElementsOf(old);
            assertThat(read).extracting(RecordedEvent::occurredAt)
                    .containsExactly(Instant.ofEpochMilli(1000), Instant.ofEpochMilli(5000));
            assertThatThrownBy(() -> db.events().append("t:new", ExpectedVersion.any(), EventData.of("x", "{}")
                    .withEventId(old.get(0)))).isInstanceOf(ConflictException.class);
            RecordedEvent next = db.events().append("t:old", ExpectedVersion.exact(1), EventData.of("x", "{}")).get(0);
            assertThat(next.sequence()).isGreaterThan(2); // on PostgreSQL the refused append may have used 3
            assertThat(db.events().replayAll().toList()).extracting(RecordedEvent::eventId)
                    .containsExactly(old.get(0), old.get(1), next.eventId());
        }
    }
}

/** The same on PostgreSQL, in a fresh schema. */
class PostgresDerivedEventIdsTest extends DerivedEventIdsTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
