package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Backends;
import dev.cairn.Cairn;
import dev.cairn.CairnException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log written while event ids were stored as text (schema version 6) reads back the same after migration 7 stores
 * them as 16 bytes: every id, the metadata around it, and the unique index that still refuses an id twice.
 */
class EventIdBytesMigrationTest {
    static final UUID V4 = UUID.fromString("6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab");
    static final UUID V7 = UUID.fromString("019ad5c0-0000-7000-8000-00000000002a");

    @TempDir
    Path dir;

    String location() {
        return dir.resolve("old.db").toString();
    }

    /** Migrates a new store to version 6 only, and writes two events the way version 6 of Cairn wrote them. */
    void anOldLog() throws SQLException {
        Backends.migrateTo(location(), 6);
        try (Connection c = Backends.connect(location());
                PreparedStatement insert = c.prepareStatement("INSERT INTO events (sequence, event_id, stream_id, "
                        + "stream_version, type, schema_version, payload, actor_kind, command_id, causation_id, "
                        + "correlation_id, metadata, occurred_at, recorded_at) "
                        + "VALUES (?, ?, 'note:1', ?, 'note.added', 1, '{}', ?, NULL, ?, NULL, ?, 1000, 2000)")) {
            Object[][] rows = {{1L, V4.toString(), 0L, null, null, null},
                    {2L, V7.toString(), 1L, "provider", V4.toString(), "{\"k\":\"v\"}"}};
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    insert.setObject(i + 1, row[i]);
                }
                insert.executeUpdate();
            }
        }
    }

    @Test
    void idsStoredAsTextReadBackAsTheSameUuids() throws SQLException {
        anOldLog();
        try (Cairn db = Cairn.open(location())) {
            List<RecordedEvent> events = db.events().replayAll().toList();
            assertThat(events).extracting(RecordedEvent::eventId).containsExactly(V4, V7);
            RecordedEvent second = events.get(1);
            assertThat(second.metadata()).isEqualTo(new EventMetadata(ActorKind.PROVIDER, null, V4.toString(), null,
                    Map.of("k", "v")));
            assertThat(second.occurredAt()).isEqualTo(Instant.ofEpochMilli(1000));
            assertThat(events.get(0).metadata()).isEqualTo(EventMetadata.EMPTY);

            RecordedEvent next = db.events().append("note:1", ExpectedVersion.exact(1),
                    List.of(EventData.of("note.added", "{}"))).get(0);
            assertThat(db.events().readStream("note:1", 2).toList()).containsExactly(next);
            assertThatThrownBy(() -> db.events().append("note:2", ExpectedVersion.any(),
                    List.of(EventData.of("note.added", "{}").withEventId(V7))))
                    .isInstanceOf(CairnException.class);
            assertThat(db.events().lastPosition().sequence()).isEqualTo(3);
        }
    }
}
