package dev.cairn.goals;

import dev.cairn.PostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/*
 * The goal store's tests once more on PostgreSQL, each in a fresh schema: the same SQL must hold there, and the
 * claims must stay single-winner under READ COMMITTED, where the goal's row lock (not SQLite's write lock) serialises
 * them. Skipped with a message where no server answers, except in CI.
 */

class PostgresGoalStoreTest extends GoalStoreTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresTaskGraphTest extends TaskGraphTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresRecordsTest extends RecordsTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresLeaseTest extends LeaseTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresGoalHistoryTest extends GoalHistoryTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresGoalProcessTest extends GoalProcessTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresTaskClaimTest extends TaskClaimTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresTaskClaimMigrationTest extends TaskClaimMigrationTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresTaskDependencyMigrationTest extends TaskDependencyMigrationTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresOwnershipTest extends OwnershipTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresOwnershipMigrationTest extends OwnershipMigrationTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresFleetTest extends FleetTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresOperatorRepairTest extends OperatorRepairTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

class PostgresFencingTest extends FencingTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}
