package dev.cairn.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Backends;
import dev.cairn.Cairn;
import dev.cairn.Durability;
import dev.cairn.PostgresSchema;
import dev.cairn.WrongExpectedVersionException;
import dev.cairn.internal.Engine;
import dev.cairn.internal.StoreConfig;
import dev.cairn.internal.migration.MigrationRunner;
import dev.cairn.internal.migration.MigrationSet;
import dev.cairn.internal.postgres.PostgresEngine;
import dev.cairn.internal.sqlite.SqliteEngine;
import dev.cairn.internal.sqlite.SqliteFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log written before positions (schema version 6: events ordered by sequence alone, PostgreSQL appends queued on
 * the head row) keeps working after migration 0007: its events come first, in sequence order, each at position
 * {@code 0:sequence}, so a sequence stored as a cursor before is still a valid position; its streams go on at their
 * versions, its deleted sequences stay unused, and a command appended before is still recognised.
 */
class LogPositionMigrationTest {
    @TempDir
    Path dir;

    String location() {
        return dir.resolve("old.db").toString();
    }

    /**
     * Migrates a new store to version 6 only and writes what Cairn wrote then: note:a at versions 0-2 (sequences 1, 2,
     * 4), note:b at 0-1 (3, 5) with a command receipt for 5, and sequences 6-7 handed out to a stream since deleted.
     */
    void anOldLog() throws SQLException {
        String dialect = Backends.isSqlite(location()) ? "sqlite" : "postgresql";
        MigrationSet all = MigrationSet.forDialect(dialect);
        MigrationSet upToSix = new MigrationSet(all.resourceDirectory(), all.migrations().subList(0, 6));
        StoreConfig config = new StoreConfig(Durability.NORMAL, Duration.ofSeconds(5), 1, false, Clock.systemUTC());
        try (Engine engine = Backends.isSqlite(location())
                ? new SqliteEngine(SqliteFiles.prepare(Path.of(location()), false), config)
                : new PostgresEngine(location(), config)) {
            new MigrationRunner(upToSix, engine, "old").migrate();
        }
        try (Connection c = Backends.connect(location()); Statement s = c.createStatement()) {
            String[][] rows = {{"1", "note:a", "0"}, {"2", "note:a", "1"}, {"3", "note:b", "0"}, {"4", "note:a", "2"},
                {"5", "note:b", "1"}};
            for (String[] row : rows) {
                s.execute("INSERT INTO events (sequence, event_id, stream_id, stream_version, type, schema_version, "
                        + "payload, command_id, occurred_at, recorded_at) VALUES (" + row[0] + ", '"
                        + java.util.UUID.randomUUID() + "', '" + row[1] + "', " + row[2] + ", 'note.added', 1, "
                        + "'{\"old\":" + row[0] + "}', " + (row[0].equals("5") ? "'cmd-old'" : "NULL") + ", 0, 0)");
            }
            s.execute("INSERT INTO command_receipts (command_id, first_sequence, last_sequence, accepted_at) "
                    + "VALUES ('cmd-old', 5, 5, 0)");
            s.execute("UPDATE event_log_head SET last_sequence = 7 WHERE id = 1");
        }
    }

    @Test
    void anOldLogReadsFirstInItsOrderAndGoesOnAfterTheMigration() throws Exception {
        anOldLog();
        try (Cairn db = Cairn.open(location())) {
            EventLog log = db.events();
            List<RecordedEvent> old = log.replayAll().toList();
            assertThat(old).extracting(RecordedEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(old).extracting(RecordedEvent::position)
                    .allMatch(position -> position.transactionOrder() == 0)
                    .extracting(LogPosition::toString).containsExactly("1", "2", "3", "4", "5");
            // A sequence a reader stored as its cursor before the migration reads on from the same place.
            assertThat(log.replayFrom(LogPosition.parse("3"))).extracting(RecordedEvent::sequence)
                    .containsExactly(4L, 5L);

            List<RecordedEvent> seen = new CopyOnWriteArrayList<>();
            try (Subscription tail = log.subscribe(log.lastPosition(), seen::add)) {
                // The streams go on at their versions: the version check knows them without ever having locked them.
                assertThatThrownBy(() -> log.append("note:a", ExpectedVersion.noStream(), EventData.of("x", "{}")))
                        .isInstanceOfSatisfying(WrongExpectedVersionException.class,
                                e -> assertThat(e.actual()).isEqualTo(2));
                RecordedEvent next = log.append("note:a", ExpectedVersion.exact(2), EventData.of("x", "{}")).get(0);
                assertThat(next.streamVersion()).isEqualTo(3);
                assertThat(next.sequence()).as("after the deleted sequences 6 and 7").isEqualTo(8);
                assertThat(next.position()).isGreaterThan(old.get(old.size() - 1).position());
                RecordedEvent fresh = log.append("note:c", ExpectedVersion.noStream(), EventData.of("x", "{}"))
                        .get(0);
                // The command appended before is recognised: its retry returns what was stored, and writes nothing.
                assertThat(log.append("note:b", ExpectedVersion.noStream(), EventData.of("x", "{}")
                        .withMetadata(EventMetadata.EMPTY.withCommandId("cmd-old"))))
                        .containsExactly(old.get(4));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (seen.size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(seen).containsExactly(next, fresh);
            }
            assertThat(log.replayAll()).extracting(RecordedEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 8L,
                    9L);
            assertThat(log.readStream("note:a", 0)).extracting(RecordedEvent::streamVersion)
                    .containsExactly(0L, 1L, 2L, 3L);
        }
    }
}

class PostgresLogPositionMigrationTest extends LogPositionMigrationTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
