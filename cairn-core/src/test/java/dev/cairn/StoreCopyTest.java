package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.RecordedEvent;
import dev.cairn.internal.Sql;
import dev.cairn.internal.copy.CopyTables;
import dev.cairn.maintenance.CopyResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Cairn#copy} between SQLite files, and its refusals. */
class StoreCopyTest {
    @TempDir
    Path dir;

    @Test
    void aCopyBetweenFilesHoldsEveryRowAndAnswersTheApi() throws Exception {
        String from = dir.resolve("a.db").toString();
        String to = dir.resolve("b.db").toString();
        List<RecordedEvent> events;
        long head;
        try (Cairn db = Cairn.open(from)) {
            CopyFixture.fill(db);
            events = db.events().replayAll().toList();
            head = db.events().lastPosition().sequence();
        }
        List<long[]> reports = new ArrayList<>();
        CopyResult result = Cairn.copy(from, to, (table, done, total) -> reports.add(new long[] {done, total}));

        var original = CopyFixture.rows(from);
        CopyFixture.assertFilled(original);
        assertThat(CopyFixture.rows(to)).isEqualTo(original);
        long rows = original.values().stream().mapToLong(List::size).sum();
        assertThat(result.rows()).isEqualTo(rows);
        assertThat(result.tables()).isEqualTo(CopyTables.TABLES.size());
        assertThat(reports).isNotEmpty().allMatch(r -> r[1] == rows && r[0] <= rows);
        assertThat(reports.get(reports.size() - 1)[0]).isEqualTo(rows);
        try (Cairn copy = Cairn.open(to)) {
            assertThat(copy.events().replayAll().toList()).isEqualTo(events);
            long next = copy.events().append("note:9", ExpectedVersion.any(), EventData.of("note.added", "{}"))
                    .get(0).sequence();
            assertThat(next).isEqualTo(head + 1);
        }
    }

    @Test
    void aDestinationThatHoldsDataIsRefusedAndLeftAlone() {
        String from = dir.resolve("a.db").toString();
        String to = dir.resolve("b.db").toString();
        try (Cairn db = Cairn.open(from)) {
            CopyFixture.fill(db);
        }
        try (Cairn db = Cairn.open(to)) {
            db.events().append("note:mine", ExpectedVersion.any(), EventData.of("note.added", "{}"));
        }
        assertThatThrownBy(() -> Cairn.copy(from, to)).isInstanceOf(ConflictException.class)
                .hasMessageContaining(Path.of(to).toAbsolutePath().toString())
                .hasMessageContaining("already holds Cairn data");
        try (Cairn db = Cairn.open(to)) {
            assertThat(db.events().replayAll().toList()).extracting(RecordedEvent::streamId).containsExactly("note:mine");
        }
        assertThatThrownBy(() -> Cairn.copy(from, from)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aSourceAtAnotherSchemaVersionIsRefusedBeforeTheDestinationIsCreated() throws Exception {
        String older = dir.resolve("older.db").toString();
        String newer = dir.resolve("newer.db").toString();
        int code;
        try (Cairn db = Cairn.open(older)) {
            code = db.status().codeSchemaVersion();
            db.session().write(c -> {
                Sql.update(c, "DELETE FROM schema_migrations WHERE id = ?", code);
                return Sql.update(c, "UPDATE meta SET schema_version = ?", code - 1);
            });
        }
        try (Cairn db = Cairn.open(newer)) {
            db.session().write(c -> {
                Sql.update(c, "INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                        code + 1, "from_the_future", "0".repeat(64), 0L);
                return Sql.update(c, "UPDATE meta SET schema_version = ?", code + 1);
            });
        }
        Path to = dir.resolve("copy.db");
        assertThatThrownBy(() -> Cairn.copy(older, to.toString())).isInstanceOf(MigrationException.class)
                .hasMessageContaining("schema version " + (code - 1)).hasMessageContaining("cairn migrate");
        assertThatThrownBy(() -> Cairn.copy(newer, to.toString())).isInstanceOf(SchemaTooNewException.class);
        assertThat(to).doesNotExist();
    }

    @Test
    void aSourceWithATableTheCopyDoesNotKnowIsRefusedAndTheCreatedFileRemoved() {
        String from = dir.resolve("a.db").toString();
        try (Cairn db = Cairn.open(from)) {
            db.session().write(c -> Sql.update(c, "CREATE TABLE extra (x INTEGER)"));
        }
        Path to = dir.resolve("copy.db");
        assertThatThrownBy(() -> Cairn.copy(from, to.toString())).isInstanceOf(MigrationException.class)
                .hasMessageContaining("extra");
        assertThat(to).doesNotExist();
        assertThat(dir.resolve("copy.db-wal")).doesNotExist();
    }

    @Test
    void theTableListNamesEveryTableOfTheSchema() {
        try (Cairn db = Cairn.open(dir.resolve("fresh.db"))) {
            assertThat(db.session().<List<String>>read(c -> CopyTables.unlisted(c, db.session().dialect()))).isEmpty();
            assertThat(db.session().<java.util.Set<String>>read(c -> db.session().dialect().tables(c)))
                    .containsAll(CopyTables.BOOKKEEPING);
        }
        assertThat(Files.exists(dir.resolve("fresh.db"))).isTrue();
    }
}
