package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.RecordedEvent;
import dev.cairn.goals.Goal;
import dev.cairn.internal.copy.CopyTables;
import dev.cairn.runs.AuditEntry;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.AuditQuery;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link Cairn#copy} from SQLite to PostgreSQL and back: the round trip is identical, the copy answers the API. */
class PostgresStoreCopyTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @TempDir
    Path dir;

    @Test
    void aRoundTripThroughPostgresIsIdenticalAndTheCopyAnswersTheApi() throws Exception {
        String original = dir.resolve("original.db").toString();
        String back = dir.resolve("back.db").toString();
        List<RecordedEvent> events;
        Goal goal;
        long head;
        long lastAudit;
        long lastArtifact;
        try (Cairn db = Cairn.open(original)) {
            CopyFixture.fill(db);
            events = db.events().replayAll().toList();
            goal = db.goals().get(CopyFixture.GOAL);
            head = db.events().lastPosition().sequence();
            lastAudit = db.runs().auditLog(AuditQuery.all()).stream().mapToLong(AuditEntry::id).max().orElseThrow();
            lastArtifact = db.goals().artifacts().byGoal(CopyFixture.GOAL).stream()
                    .mapToLong(a -> a.id()).max().orElseThrow();
        }
        var rows = CopyFixture.rows(original);
        CopyFixture.assertFilled(rows);

        assertThat(Cairn.copy(original, SCHEMA.url()).rows()).isEqualTo(rows.values().stream()
                .mapToLong(List::size).sum());
        assertThat(Cairn.copy(SCHEMA.url(), back).rows()).isEqualTo(rows.values().stream()
                .mapToLong(List::size).sum());
        assertThat(CopyFixture.rows(back)).isEqualTo(rows);

        try (Cairn pg = Cairn.open(SCHEMA.url())) {
            assertThat(pg.session().<List<String>>read(c -> CopyTables.unlisted(c, pg.session().dialect()))).isEmpty();
            assertThat(pg.goals().get(CopyFixture.GOAL)).isEqualTo(goal);
            assertThat(pg.events().replayAll().toList()).isEqualTo(events);
            assertThat(pg.events().append("note:9", ExpectedVersion.any(), EventData.of("note.added", "{}"))
                    .get(0).sequence()).isEqualTo(head + 1);
            assertThat(pg.runs().audit(AuditLevel.INFO, "test", "after.copy", "new row", null).id())
                    .isGreaterThan(lastAudit);
            assertThat(pg.goals().artifacts().register(CopyFixture.GOAL, "log", "logs/b.log", null, null, null).id())
                    .isGreaterThan(lastArtifact);
        }
        assertThatThrownBy(() -> Cairn.copy(original, SCHEMA.url())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("already holds Cairn data");
    }
}
