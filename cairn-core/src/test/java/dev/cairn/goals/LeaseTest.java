package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.NotFoundException;
import dev.cairn.Owner;
import dev.cairn.StaleClaimException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeaseTest extends StoreFixture {
    LeaseStore leases;
    Instant t0;
    /** Owners on hosts other than this one, so only heartbeats decide their liveness (no pid check applies). */
    final Owner a = Owner.of("host-a");
    final Owner b = Owner.of("host-b");

    @BeforeEach
    void aGoal() {
        goals.create(GoalSpec.of("g", "split work", "/p").withExecution(false, true, 4));
        leases = goals.leases();
        t0 = clock.instant();
    }

    SliceLease claimed(ClaimResult result) {
        assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
        return ((ClaimResult.Claimed) result).lease();
    }

    @Test
    void aClaimOnAFreeSliceSucceedsAndAHeldSliceIsRefused() {
        SliceLease lease = claimed(leases.tryClaim("g", "s1", a, "worker", List.of("src/a/", "./src/b")));
        assertThat(lease.writeSet()).containsExactly("src/a", "src/b");
        assertThat(lease.isActive()).isTrue();
        assertThat(lease.claimedAt()).isEqualTo(t0);
        ClaimResult again = leases.tryClaim("g", "s1", b, "worker", List.of("docs"));
        assertThat(again).isInstanceOfSatisfying(ClaimResult.SliceHeld.class,
                held -> assertThat(held.holder()).isEqualTo(lease));
        assertThat(leases.active("g")).containsExactly(lease);
        assertThat(leases.get(lease.id())).contains(lease);
    }

    @Test
    void overlappingWriteSetsAreRefusedNamingTheLeaseAndPaths() {
        SliceLease src = claimed(leases.tryClaim("g", "s1", a, "worker", List.of("src/main")));
        ClaimResult inside = leases.tryClaim("g", "s2", b, "worker", List.of("README.md", "src/main/App.java"));
        assertThat(inside).isInstanceOfSatisfying(ClaimResult.WriteSetOverlap.class, o -> {
            assertThat(o.conflicting()).isEqualTo(src);
            assertThat(o.paths()).containsExactly("src/main/App.java");
        });
        assertThat(leases.tryClaim("g", "s3", b, "worker", List.of("src")))
                .isInstanceOf(ClaimResult.WriteSetOverlap.class);
        assertThat(leases.tryClaim("g", "s4", b, "worker", List.of("src/main/../main")))
                .isInstanceOf(ClaimResult.WriteSetOverlap.class);
        // A shared prefix that is not a directory boundary is no overlap.
        claimed(leases.tryClaim("g", "s5", b, "worker", List.of("src/mainframe", "src/mai")));
        // Another goal's leases never conflict.
        db.goals().create(GoalSpec.of("h", "other", "/p"));
        claimed(leases.tryClaim("h", "s1", a, "worker", List.of("src/main")));
    }

    @Test
    void releaseAllowsReclaimAndHeartbeatReportsAGoneLease() {
        SliceLease lease = claimed(leases.tryClaim("g", "s1", a, "worker", List.of("a")));
        clock.advance(Duration.ofSeconds(10));
        SliceLease beat = leases.heartbeat(lease);
        assertThat(beat.heartbeatAt()).isEqualTo(t0.plusSeconds(10));
        clock.advance(Duration.ofSeconds(1));
        assertThat(leases.release(beat)).isTrue();
        assertThat(leases.release(beat)).isFalse();
        assertThatThrownBy(() -> leases.heartbeat(lease)).isInstanceOfSatisfying(StaleClaimException.class, e -> {
            assertThat(e.claimed()).isEqualTo(StaleClaimException.Claimed.SLICE);
            assertThat(e.goalId()).isEqualTo("g");
            assertThat(e.claimedId()).isEqualTo("s1");
            assertThat(e.token()).isEqualTo(String.valueOf(lease.id()));
        }).hasMessageContaining("lease " + lease.id()).hasMessageContaining("released");
        SliceLease ghost = new SliceLease(9999, "g", "s1", a, "worker", List.of(), t0, t0, null, null);
        assertThatThrownBy(() -> leases.heartbeat(ghost)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> leases.release(ghost)).isInstanceOf(NotFoundException.class);
        SliceLease again = claimed(leases.tryClaim("g", "s1", b, "worker", List.of("a")));
        assertThat(again.id()).isNotEqualTo(lease.id());
        assertThat(leases.get(lease.id()).orElseThrow().releasedAt()).isEqualTo(t0.plusSeconds(11));
        // Only its owner heartbeats or releases a lease: the same id under another owner is not it.
        SliceLease forged = new SliceLease(again.id(), "g", "s1", a, "worker", List.of("a"), t0, t0, null, null);
        assertThatThrownBy(() -> leases.heartbeat(forged)).isInstanceOf(StaleClaimException.class)
                .hasMessageContaining("held by " + b.id());
        assertThat(leases.release(forged)).isFalse();
        assertThat(leases.get(again.id()).orElseThrow().isActive()).isTrue();
    }

    @Test
    void expireStaleExpiresOnlyStaleLeasesAndIsIdempotent() {
        SliceLease old = claimed(leases.tryClaim("g", "old", a, "w", List.of("x")));
        SliceLease fresh = claimed(leases.tryClaim("g", "fresh", b, "w", List.of("y")));
        clock.advance(Duration.ofSeconds(25));
        leases.heartbeat(fresh);
        clock.advance(Duration.ofSeconds(6));
        Instant now = clock.instant();
        List<SliceLease> expired = leases.expireStale(Duration.ofSeconds(30));
        assertThat(expired).extracting(SliceLease::id).containsExactly(old.id());
        assertThat(expired.get(0).expiredAt()).isEqualTo(now);
        assertThat(leases.expireStale(Duration.ofSeconds(30))).isEmpty();
        assertThat(leases.active("g")).extracting(SliceLease::id).containsExactly(fresh.id());
        assertThatThrownBy(() -> leases.heartbeat(old)).isInstanceOf(StaleClaimException.class)
                .hasMessageContaining("expired");
        claimed(leases.tryClaim("g", "old", b, "w", List.of("x")));
    }

    @Test
    void aStaleLeaseStillHeartbeatsUntilItIsExpired() {
        SliceLease lease = claimed(leases.tryClaim("g", "s", a, "w", List.of("x")));
        clock.advance(Duration.ofMinutes(5)); // stale, but nobody expired it: nobody else can hold the slice
        assertThat(leases.heartbeat(lease).heartbeatAt()).isEqualTo(clock.instant());
        assertThat(leases.expireStale(Duration.ofSeconds(30))).isEmpty();
        assertThat(leases.tryClaim("g", "s", b, "w", List.of("x"))).isInstanceOf(ClaimResult.SliceHeld.class);
    }

    @Test
    void aLeaseOnAMissingGoalIsNotFound() {
        assertThatThrownBy(() -> leases.tryClaim("ghost", "s1", a, "w", List.of("a")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("goal ghost");
        assertThatThrownBy(() -> leases.active("ghost")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theDatabaseItselfAllowsOneActiveLeasePerSlice() throws SQLException {
        claimed(leases.tryClaim("g", "s1", a, "w", List.of("a")));
        try (Connection c = Raw.connect(location())) {
            String insert = "INSERT INTO goal_slice_leases (goal_id, slice_id, owner_pid, write_set, claimed_at, "
                    + "heartbeat_at, released_at) VALUES ('g', 's1', 2, '[]', 0, 0, ?)";
            try (var statement = c.prepareStatement(insert)) {
                statement.setNull(1, java.sql.Types.BIGINT);
                assertThatThrownBy(statement::executeUpdate).isInstanceOf(SQLException.class)
                        .message().containsIgnoringCase("unique");
            }
            try (var statement = c.prepareStatement(insert)) {
                statement.setLong(1, 5); // released rows may repeat: they are history
                assertThat(statement.executeUpdate()).isEqualTo(1);
                assertThat(statement.executeUpdate()).isEqualTo(1);
            }
        }
    }

    @Test
    void threadsClaimingOneSliceOrOverlappingPathsHaveExactlyOneWinner() throws Exception {
        for (boolean sameSlice : new boolean[] {true, false}) {
            String goal = "race-" + sameSlice;
            db.goals().create(GoalSpec.of(goal, "race", "/p"));
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ClaimResult>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String slice = sameSlice ? "s" : "s" + i;
                // Every pair overlaps: equal paths, or a directory and a path below it.
                List<String> paths = sameSlice ? List.of("p" + i)
                        : List.of("own/" + i, i % 2 == 0 ? "shared" : "shared/common");
                Owner owner = Owner.of("host-" + i);
                results.add(pool.submit(() -> {
                    start.await();
                    return db.goals().leases().tryClaim(goal, slice, owner, "w", paths);
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<ClaimResult> result : results) {
                winners += result.get().claimed() ? 1 : 0;
            }
            pool.shutdown();
            assertThat(winners).as(goal).isEqualTo(1);
            assertThat(leases.active(goal)).hasSize(1);
        }
    }
}
