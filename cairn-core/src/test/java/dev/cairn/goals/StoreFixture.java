package dev.cairn.goals;

import dev.cairn.Cairn;
import dev.cairn.TestClock;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh store per test, on a clock the test moves: a SQLite file here, a PostgreSQL schema in PostgresGoalTests. */
abstract class StoreFixture {
    @TempDir
    Path dir;

    final TestClock clock = new TestClock();
    Cairn db;
    GoalStore goals;

    /** Where the store under test lives; the PostgreSQL variants override it. */
    String location() {
        return dir.resolve("goals.db").toString();
    }

    @BeforeEach
    void openStore() {
        db = Cairn.builder().location(location()).clock(clock).open();
        goals = db.goals();
    }

    @AfterEach
    void closeStore() {
        db.close();
    }
}
