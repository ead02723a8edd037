package dev.cairn.internal.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Durability;
import dev.cairn.MigrationException;
import dev.cairn.SchemaTooNewException;
import dev.cairn.internal.Sql;
import dev.cairn.internal.StoreConfig;
import dev.cairn.internal.sqlite.SqliteEngine;
import dev.cairn.internal.sqlite.SqliteFiles;
import dev.cairn.maintenance.MigrationInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationRunnerTest {
    @TempDir
    Path dir;

    private SqliteEngine engine(Path file) {
        return new SqliteEngine(SqliteFiles.prepare(file, false),
                new StoreConfig(Durability.NORMAL, Duration.ofSeconds(5), 2, false, Clock.systemUTC()));
    }

    private static long scalar(SqliteEngine engine, String sql) {
        Long value = engine.read(c -> Sql.longValue(c, sql, -1));
        return value;
    }

    private static MigrationSet set(String name) {
        return MigrationSet.load("dev/cairn/testmigrations/" + name);
    }

    @Test
    void aFreshDatabaseReachesTheLatestVersionAndRerunningIsANoOp() {
        Path file = dir.resolve("m.db");
        try (SqliteEngine engine = engine(file)) {
            MigrationRunner runner = new MigrationRunner(set("good"), engine, "test");
            List<MigrationInfo> applied = runner.migrate();
            assertThat(applied).extracting(MigrationInfo::version).containsExactly(1, 2);
            assertThat(runner.migrate()).isEmpty();
            assertThat(runner.status()).allMatch(MigrationInfo::applied);
            assertThat(scalar(engine, "SELECT schema_version FROM meta")).isEqualTo(2);
            // The trigger body with its inner semicolons was applied as one statement.
            try (var lease = engine.acquireWriter("test")) {
                Sql.update(lease.connection(), "INSERT INTO second (id) VALUES (1)");
            } catch (java.sql.SQLException e) {
                throw new AssertionError(e);
            }
            String note = engine.read(c -> Sql.one(c, "SELECT note FROM second", r -> r.getString(1)).orElseThrow());
            assertThat(note).isEqualTo("a;b;");
        }
    }

    @Test
    void aFailingMigrationLeavesThePreviousVersionAndNamesFileAndStatement() {
        Path file = dir.resolve("fail.db");
        try (SqliteEngine engine = engine(file)) {
            MigrationRunner runner = new MigrationRunner(set("failing"), engine, "test");
            assertThatThrownBy(runner::migrate)
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("0002_broken.sql")
                    .hasMessageContaining("statement 3")
                    .hasMessageContaining("line 3")
                    .hasMessageContaining("stays at schema version 1");
            assertThat(scalar(engine, "SELECT schema_version FROM meta")).isEqualTo(1);
            assertThat(scalar(engine, "SELECT count(*) FROM first")).isZero();
            assertThat(scalar(engine, "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'")).isZero();
            assertThat(runner.status()).extracting(MigrationInfo::applied).containsExactly(true, false);
        }
    }

    @Test
    void anEditedMigrationIsRefused() {
        Path file = dir.resolve("edited.db");
        try (SqliteEngine engine = engine(file)) {
            new MigrationRunner(set("good"), engine, "test").migrate();
        }
        try (SqliteEngine engine = engine(file)) {
            MigrationRunner runner = new MigrationRunner(set("edited"), engine, "test");
            assertThatThrownBy(runner::migrate)
                    .isInstanceOf(MigrationException.class)
                    .hasMessageContaining("0001_first.sql was changed after it was applied")
                    .hasMessageContaining(file.getFileName().toString());
            assertThatThrownBy(runner::verify).isInstanceOf(MigrationException.class);
        }
    }

    @Test
    void aNewerSchemaIsRefusedNamingBothVersions() {
        Path file = dir.resolve("newer.db");
        try (SqliteEngine engine = engine(file)) {
            new MigrationRunner(set("good"), engine, "test").migrate();
        }
        try (SqliteEngine engine = engine(file)) {
            MigrationSet onlyFirst = new MigrationSet("first-only", set("good").migrations().subList(0, 1));
            MigrationRunner runner = new MigrationRunner(onlyFirst, engine, "test");
            assertThatThrownBy(runner::migrate)
                    .isInstanceOf(SchemaTooNewException.class)
                    .hasMessageContaining("schema version 2")
                    .hasMessageContaining("up to 1")
                    .hasMessageContaining("upgrade Cairn");
        }
    }

    @Test
    void everyShippedDirectoryMatchesItsIndex() throws Exception {
        for (String dialect : List.of("sqlite", "postgresql")) {
            MigrationSet set = MigrationSet.forDialect(dialect);
            Path directory = Path.of(MigrationSet.class.getClassLoader()
                    .getResource("dev/cairn/migrations/" + dialect + "/index").toURI()).getParent();
            try (var files = java.nio.file.Files.list(directory)) {
                List<String> sqlFiles = files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".sql")).sorted().toList();
                assertThat(set.migrations()).extracting(Migration::fileName).containsExactlyElementsOf(sqlFiles);
            }
        }
    }

    @Test
    void everyDialectShipsTheSameMigrations() {
        // Same numbers and names, so a schema version means the same tables on both (and copies between them work).
        assertThat(MigrationSet.forDialect("postgresql").migrations()).extracting(Migration::fileName)
                .containsExactlyElementsOf(MigrationSet.forDialect("sqlite").migrations().stream()
                        .map(Migration::fileName).toList());
    }
}
