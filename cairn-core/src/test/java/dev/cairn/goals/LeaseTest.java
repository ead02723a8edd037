package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.ConflictException;
import dev.cairn.NotFoundException;
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
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void aGoal() {
        goals.create(GoalSpec.of("g", "split work", "/p").withExecution(false, true, 4));
        leases = goals.leases();
    }

    SliceLease claimed(ClaimResult result) {
        assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
        return ((ClaimResult.Claimed) result).lease();
    }

    @Test
    void aClaimOnAFreeSliceSucceedsAndAHeldSliceIsRefused() {
        SliceLease lease = claimed(leases.tryClaim("g", "s1", 100, "worker", List.of("src/a/", "./src/b"), t0));
        assertThat(lease.writeSet()).containsExactly("src/a", "src/b");
        assertThat(lease.isActive()).isTrue();
        assertThat(lease.claimedAt()).isEqualTo(t0);
        ClaimResult again = leases.tryClaim("g", "s1", 200, "worker", List.of("docs"), t0);
        assertThat(again).isInstanceOfSatisfying(ClaimResult.SliceHeld.class,
                held -> assertThat(held.holder()).isEqualTo(lease));
        assertThat(leases.active("g")).containsExactly(lease);
        assertThat(leases.get(lease.id())).contains(lease);
    }

    @Test
    void overlappingWriteSetsAreRefusedNamingTheLeaseAndPaths() {
        SliceLease src = claimed(leases.tryClaim("g", "s1", 100, "worker", List.of("src/main"), t0));
        ClaimResult inside = leases.tryClaim("g", "s2", 200, "worker", List.of("README.md", "src/main/App.java"), t0);
        assertThat(inside).isInstanceOfSatisfying(ClaimResult.WriteSetOverlap.class, o -> {
            assertThat(o.conflicting()).isEqualTo(src);
            assertThat(o.paths()).containsExactly("src/main/App.java");
        });
        assertThat(leases.tryClaim("g", "s3", 200, "worker", List.of("src"), t0))
                .isInstanceOf(ClaimResult.WriteSetOverlap.class);
        assertThat(leases.tryClaim("g", "s4", 200, "worker", List.of("src/main/../main"), t0))
                .isInstanceOf(ClaimResult.WriteSetOverlap.class);
        // A shared prefix that is not a directory boundary is no overlap.
        claimed(leases.tryClaim("g", "s5", 200, "worker", List.of("src/mainframe", "src/mai"), t0));
        // Another goal's leases never conflict.
        db.goals().create(GoalSpec.of("h", "other", "/p"));
        claimed(leases.tryClaim("h", "s1", 300, "worker", List.of("src/main"), t0));
    }

    @Test
    void releaseAllowsReclaimAndHeartbeatReportsAGoneLease() {
        SliceLease lease = claimed(leases.tryClaim("g", "s1", 100, "worker", List.of("a"), t0));
        SliceLease beat = leases.heartbeat(lease.id(), t0.plusSeconds(10));
        assertThat(beat.heartbeatAt()).isEqualTo(t0.plusSeconds(10));
        assertThat(leases.release(lease.id(), t0.plusSeconds(11))).isTrue();
        assertThat(leases.release(lease.id(), t0.plusSeconds(12))).isFalse();
        assertThatThrownBy(() -> leases.heartbeat(lease.id(), t0.plusSeconds(13)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("lease " + lease.id())
                .hasMessageContaining("released");
        assertThatThrownBy(() -> leases.heartbeat(9999, t0)).isInstanceOf(NotFoundException.class);
        SliceLease again = claimed(leases.tryClaim("g", "s1", 200, "worker", List.of("a"), t0.plusSeconds(14)));
        assertThat(again.id()).isNotEqualTo(lease.id());
        assertThat(leases.get(lease.id()).orElseThrow().releasedAt()).isEqualTo(t0.plusSeconds(11));
    }

    @Test
    void expireStaleExpiresOnlyStaleLeasesAndIsIdempotent() {
        SliceLease old = claimed(leases.tryClaim("g", "old", 1, "w", List.of("x"), t0));
        SliceLease fresh = claimed(leases.tryClaim("g", "fresh", 2, "w", List.of("y"), t0));
        leases.heartbeat(fresh.id(), t0.plusSeconds(25));
        Instant now = t0.plusSeconds(31);
        List<SliceLease> expired = leases.expireStale(now, Duration.ofSeconds(30));
        assertThat(expired).extracting(SliceLease::id).containsExactly(old.id());
        assertThat(expired.get(0).expiredAt()).isEqualTo(now);
        assertThat(leases.expireStale(now, Duration.ofSeconds(30))).isEmpty();
        assertThat(leases.active("g")).extracting(SliceLease::id).containsExactly(fresh.id());
        assertThatThrownBy(() -> leases.heartbeat(old.id(), now)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("expired");
        claimed(leases.tryClaim("g", "old", 3, "w", List.of("x"), now));
    }

    @Test
    void aLeaseOnAMissingGoalIsNotFound() {
        assertThatThrownBy(() -> leases.tryClaim("ghost", "s1", 1, "w", List.of("a"), t0))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("goal ghost");
        assertThatThrownBy(() -> leases.active("ghost")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theDatabaseItselfAllowsOneActiveLeasePerSlice() throws SQLException {
        claimed(leases.tryClaim("g", "s1", 1, "w", List.of("a"), t0));
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
                long pid = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return db.goals().leases().tryClaim(goal, slice, pid, "w", paths, t0);
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
