package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.RecordedEvent;
import dev.cairn.goals.Goal;
import dev.cairn.goals.GoalSpec;
import dev.cairn.goals.TaskClaim;
import dev.cairn.goals.TaskSpec;
import dev.cairn.runs.RunScope;
import dev.cairn.runs.StepScope;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every id the store generates is a time-ordered UUID version 7 ({@link Ids}); a store full of the random ids of
 * earlier versions keeps working. Event ids nobody chose are not stored but derived when read (EventIds).
 */
class GeneratedIdsTest {
    private static final String V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @TempDir
    Path dir;

    /** Where the store under test lives: a SQLite file here, a PostgreSQL schema in the Postgres variant. */
    String location() {
        return dir.resolve("ids.db").toString();
    }

    @Test
    void aStoreWithRandomEventIdsKeepsWorkingAndNewIdsFollowInOrder() throws SQLException {
        List<UUID> old = new ArrayList<>();
        try (Cairn db = Cairn.open(location())) { // what earlier versions wrote: random (version 4) ids
            for (int i = 0; i < 20; i++) {
                UUID id = UUID.randomUUID();
                old.add(id);
                db.events().append("old:" + (i % 3), ExpectedVersion.any(), EventData.of("x", "{}").withEventId(id));
            }
        }
        try (Cairn db = Cairn.open(location())) {
            List<RecordedEvent> appended = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                appended.addAll(db.events().append("old:" + (i % 3), ExpectedVersion.any(), EventData.of("x", "{}")));
            }
            // The old ids are still unique: appending one again is refused, and nothing is written.
            assertThatThrownBy(() -> db.events().append("new:1", ExpectedVersion.any(),
                    EventData.of("x", "{}").withEventId(old.get(7)))).isInstanceOf(ConflictException.class);

            List<RecordedEvent> all;
            try (var replay = db.events().replayAll()) {
                all = replay.toList();
            }
            assertThat(all).hasSize(70);
            assertThat(all.subList(0, 20)).extracting(RecordedEvent::eventId).containsExactlyElementsOf(old);
            assertThat(all.subList(20, 70)).isEqualTo(appended);

            // New ids are not stored: the store derives them (EventIds), version 7, in the order of their
            // milliseconds, each once; the chosen ones stay as stored.
            List<UUID> stored = Backends.storedEventIds(location());
            assertThat(stored.subList(0, 20)).containsExactlyElementsOf(old);
            assertThat(stored.subList(20, 70)).containsOnlyNulls();
            List<UUID> fresh = all.subList(20, 70).stream().map(RecordedEvent::eventId).toList();
            assertThat(fresh).allMatch(id -> id.toString().matches(V7)).doesNotHaveDuplicates()
                    .extracting(id -> id.getMostSignificantBits() >>> 16).isSorted();
        }
    }

    @Test
    void goalIdsRunIdsStepIdsAndClaimTokensAreTimeOrdered() {
        try (Cairn db = Cairn.open(location())) {
            Goal first = db.goals().create(GoalSpec.of(null, "first", "/p"));
            Goal second = db.goals().create(GoalSpec.of(null, "second", "/p"));
            assertThat(List.of(first.id(), second.id())).allMatch(id -> id.matches("g-[0-9a-f]{12}7[0-9a-f]{19}"))
                    .isSorted().doesNotHaveDuplicates();
            assertThat(db.goals().create(GoalSpec.of("chosen-1", "chosen", "/p")).id()).isEqualTo("chosen-1");

            db.goals().tasks().createBatch(first.id(), List.of(TaskSpec.of(first.id(), "a", "A"),
                    TaskSpec.of(first.id(), "b", "B")));
            TaskClaim a = db.goals().tasks().claimTask(first.id(), "w", Duration.ofMinutes(1)).orElseThrow();
            TaskClaim b = db.goals().tasks().claimTask(first.id(), "w", Duration.ofMinutes(1)).orElseThrow();
            assertThat(List.of(a.token(), b.token())).allMatch(t -> t.matches(V7)).isSorted().doesNotHaveDuplicates();

            List<String> runIds = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                try (RunScope run = db.runs().begin(List.of("r" + i), null)) {
                    runIds.add(run.id());
                    List<String> steps = new ArrayList<>();
                    for (int s = 0; s < 2; s++) {
                        StepScope step = run.step("s" + s);
                        steps.add(step.id());
                        step.success();
                    }
                    assertThat(steps).allMatch(id -> id.matches(V7)).isSorted().doesNotHaveDuplicates();
                }
            }
            assertThat(runIds).allMatch(id -> id.matches(V7)).isSorted().doesNotHaveDuplicates();
        }
    }
}

/** The same on PostgreSQL, in a fresh schema. */
class PostgresGeneratedIdsTest extends GeneratedIdsTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
