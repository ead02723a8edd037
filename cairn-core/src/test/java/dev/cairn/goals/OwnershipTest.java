package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Backends;
import dev.cairn.InvalidInputException;
import dev.cairn.Owner;
import dev.cairn.StaleClaimException;
import dev.cairn.events.RecordedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Controllers of goals across hosts: an owner holds a goal while its heartbeat is younger than the stale window on
 * the store's clock; a takeover hands out a new fencing token, and the old controller's heartbeat is refused.
 */
class OwnershipTest extends StoreFixture {
    static final Duration STALE = Duration.ofSeconds(30);
    /** Owners on other hosts: only their heartbeats can tell whether they live. */
    final Owner a = Owner.of("host-a");
    final Owner b = Owner.of("host-b");

    Goal running(String id) {
        goals.create(GoalSpec.of(id, "control " + id, dir.toString()));
        return goals.start(id);
    }

    @Test
    void aLiveControllerKeepsItsGoalAndAStaleOneIsTakenOverUnderANewToken() {
        running("g");
        ControllerClaim first = goals.claimController("g", a, STALE).orElseThrow();
        assertThat(first.owner()).isEqualTo(a);
        assertThat(first.heartbeatAt()).isEqualTo(clock.instant());
        long version = goals.get("g").version();

        clock.advance(Duration.ofSeconds(1));
        ControllerClaim again = goals.claimController("g", a, STALE).orElseThrow(); // ours already: a heartbeat
        assertThat(again.token()).isEqualTo(first.token());
        assertThat(goals.get("g").version()).isEqualTo(version);
        assertThat(goals.get("g").heartbeatAt()).isEqualTo(clock.instant());
        assertThat(goals.claimController("g", b, STALE)).isEmpty(); // a is alive
        assertThat(goals.get("g").controller()).isEqualTo(a);

        // Stale, but nobody took it over yet: the heartbeat is still a's to make, and makes it alive again.
        clock.advance(STALE.plusSeconds(1));
        assertThat(goals.heartbeat(first).heartbeatAt()).isEqualTo(clock.instant());
        assertThat(goals.claimController("g", b, STALE)).isEmpty();

        clock.advance(STALE.plusMillis(1));
        assertThat(goals.listOrphaned(STALE)).extracting(Goal::id).containsExactly("g");
        ControllerClaim taken = goals.claimController("g", b, STALE).orElseThrow();
        assertThat(taken.token()).isNotEqualTo(first.token());
        assertThat(goals.get("g").controller()).isEqualTo(b);
        assertThat(goals.get("g").version()).isEqualTo(version + 1);
        assertThat(goals.listOrphaned(STALE)).isEmpty();

        // The old controller comes back late: refused, naming the goal, its token and who holds the goal now.
        long history = db.events().streamVersion(Goal.streamId("g"));
        assertThatThrownBy(() -> goals.heartbeat(first)).isInstanceOfSatisfying(StaleClaimException.class, e -> {
            assertThat(e.claimed()).isEqualTo(StaleClaimException.Claimed.CONTROLLER);
            assertThat(e.goalId()).isEqualTo("g");
            assertThat(e.token()).isEqualTo(first.token());
        }).hasMessageContaining("goal g").hasMessageContaining(first.token()).hasMessageContaining(b.id());
        assertThat(goals.releaseController(first)).isFalse(); // never takes it from the new one
        assertThat(goals.get("g").controller()).isEqualTo(b);
        assertThat(db.events().streamVersion(Goal.streamId("g"))).isEqualTo(history); // refusals write nothing

        RecordedEvent takeover = db.events().readStream(Goal.streamId("g"), 0)
                .filter(e -> e.type().equals("goal.controller-claimed")).reduce((x, y) -> y).orElseThrow();
        assertThat(takeover.payloadTree().get("owner").get("id").asText()).isEqualTo(b.id());
        assertThat(takeover.payloadTree().get("previousOwner").get("id").asText()).isEqualTo(a.id());
        assertThat(takeover.payloadTree().get("previousClaim").asText()).isEqualTo(first.token());

        clock.advance(Duration.ofSeconds(5));
        assertThat(goals.heartbeat(taken).heartbeatAt()).isEqualTo(clock.instant());
        assertThat(goals.releaseController(taken)).isTrue();
        assertThat(goals.get("g").controller()).isNull();
        assertThatThrownBy(() -> goals.heartbeat(taken)).isInstanceOf(StaleClaimException.class)
                .hasMessageContaining("nobody controls it");
        assertThat(goals.claimController("g", a, STALE).orElseThrow().token()).isNotEqualTo(first.token());
    }

    @Test
    void orphansAreRunningGoalsWithoutALiveController() {
        for (String id : List.of("alive", "nobody", "stale", "released")) {
            running(id);
        }
        goals.create(GoalSpec.of("idle", "not running", "/p"));
        ControllerClaim alive = goals.claimController("alive", a, STALE).orElseThrow();
        goals.claimController("stale", b, STALE).orElseThrow();
        goals.releaseController(goals.claimController("released", a, STALE).orElseThrow());
        clock.advance(Duration.ofSeconds(40));
        goals.heartbeat(alive);
        // Created at the same instant: oldest first, then by id.
        assertThat(goals.listRunning()).extracting(Goal::id)
                .containsExactly("alive", "nobody", "released", "stale");
        assertThat(goals.listOrphaned(STALE)).extracting(Goal::id).containsExactly("nobody", "released", "stale");
        assertThat(goals.listOrphaned(STALE)).filteredOn(g -> g.id().equals("stale"))
                .allSatisfy(g -> assertThat(g.controller()).isEqualTo(b));
        assertThat(goals.list(GoalFilter.all())).filteredOn(s -> s.id().equals("alive")).singleElement()
                .satisfies(s -> {
                    assertThat(s.controller()).isEqualTo(a);
                    assertThat(s.heartbeatAt()).isEqualTo(clock.instant());
                });
    }

    /**
     * On SQLite every owner runs on this host, so a controller whose process is gone is dead at once, however fresh
     * its heartbeat; on PostgreSQL a pid means nothing to another host, and only the heartbeat counts.
     */
    @Test
    void aDeadProcessOnThisHostHoldsNothingOnSqliteOnly() throws Exception {
        running("g");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Owner dead = new Owner("dead-owner", Owner.current().host(), gone.pid());
        goals.claimController("g", dead, STALE).orElseThrow();
        boolean oneHost = Backends.isSqlite(location());
        assertThat(goals.listOrphaned(STALE)).extracting(Goal::id).hasSize(oneHost ? 1 : 0);
        assertThat(goals.claimController("g", a, STALE)).as("taken from a dead pid").matches(o ->
                o.isPresent() == oneHost);
        // A live process on this host with a fresh heartbeat holds its goal on either backend.
        running("h");
        goals.claimController("h", Owner.current(), STALE).orElseThrow();
        assertThat(goals.claimController("h", a, STALE)).isEmpty();
    }

    @Test
    void badClaimsAreRefusedAndChangeNothing() {
        running("g");
        assertThatThrownBy(() -> goals.claimController("g", null, STALE)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> goals.claimController("g", a, Duration.ZERO))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("stale window");
        assertThatThrownBy(() -> new Owner(" ", "h", 1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new Owner("x", null, 1)).isInstanceOf(InvalidInputException.class);
        assertThat(goals.get("g").controller()).isNull();
        assertThat(Owner.current()).isSameAs(Owner.current());
        assertThat(Owner.current().pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(Owner.of("h").id()).isNotEqualTo(Owner.of("h").id());
    }

    @Test
    void threadsClaimingOneGoalAtOnceHaveExactlyOneWinner() throws Exception {
        int threads = 6;
        for (int round = 0; round < 5; round++) {
            String id = "race" + round;
            running(id);
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Optional<ControllerClaim>>> results = new ArrayList<>();
            List<Owner> owners = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Owner owner = Owner.of("host-" + i);
                owners.add(owner);
                results.add(pool.submit(() -> {
                    start.await();
                    return goals.claimController(id, owner, STALE);
                }));
            }
            List<ControllerClaim> won = new ArrayList<>();
            for (Future<Optional<ControllerClaim>> r : results) {
                r.get().ifPresent(won::add);
            }
            pool.shutdown();
            assertThat(won).hasSize(1);
            assertThat(goals.get(id).controller()).isEqualTo(won.get(0).owner()).isIn(owners);
        }
    }
}
