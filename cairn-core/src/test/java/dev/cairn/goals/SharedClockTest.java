package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.Cairn;
import dev.cairn.Durability;
import dev.cairn.Owner;
import dev.cairn.PostgresSchema;
import dev.cairn.TestClock;
import dev.cairn.internal.StoreConfig;
import dev.cairn.internal.postgres.PostgresEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which clock times heartbeats: on PostgreSQL the server's, which every host shares, unless a clock was given to the
 * store (tests); on SQLite, one host, the store's clock.
 */
class SharedClockTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @TempDir
    Path dir;

    /** A host whose clock is a year behind: the server's clock wins over it. */
    static final Clock SKEWED = Clock.offset(Clock.systemUTC(), Duration.ofDays(-365));

    @Test
    void onPostgresqlHeartbeatsAreTimedByTheServerUnlessAClockWasGiven() {
        StoreConfig server = new StoreConfig(Durability.NORMAL, Duration.ofSeconds(5), 1, false, SKEWED, true);
        try (PostgresEngine engine = new PostgresEngine(SCHEMA.url(), server)) {
            assertThat(engine.read(engine::sharedNow)).isCloseTo(Instant.now(), within(5, ChronoUnit.SECONDS));
        }
        StoreConfig given = new StoreConfig(Durability.NORMAL, Duration.ofSeconds(5), 1, false, SKEWED, false);
        try (PostgresEngine engine = new PostgresEngine(SCHEMA.url(), given)) {
            assertThat(engine.read(engine::sharedNow)).isCloseTo(SKEWED.instant(), within(5, ChronoUnit.SECONDS));
        }
        TestClock clock = new TestClock();
        try (Cairn db = Cairn.builder().location(SCHEMA.url()).clock(clock).open()) {
            assertThat(db.sharedNow()).isEqualTo(clock.instant());
        }
        try (Cairn db = Cairn.open(SCHEMA.url())) {
            assertThat(db.sharedNow()).isCloseTo(Instant.now(), within(5, ChronoUnit.SECONDS));
            db.goals().create(GoalSpec.of("g", "timed by the server", "/p"));
            ControllerClaim claim = db.goals().claimController("g", Owner.current()).orElseThrow();
            assertThat(claim.heartbeatAt()).isEqualTo(db.goals().get("g").heartbeatAt())
                    .isCloseTo(Instant.now(), within(5, ChronoUnit.SECONDS));
        }
    }

    @Test
    void onSqliteTheStoresClockTimesThem() {
        Clock fixed = Clock.fixed(Instant.parse("2020-02-02T00:00:00Z"), ZoneOffset.UTC);
        try (Cairn db = Cairn.builder().path(dir.resolve("clock.db")).clock(fixed).open()) {
            assertThat(db.sharedNow()).isEqualTo(fixed.instant());
        }
        try (Cairn db = Cairn.open(dir.resolve("clock.db"))) {
            assertThat(db.sharedNow()).isCloseTo(Instant.now(), within(5, ChronoUnit.SECONDS));
        }
    }
}
