package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.internal.Sql;
import dev.cairn.maintenance.DoctorReport;
import dev.cairn.maintenance.MigrationInfo;
import dev.cairn.maintenance.StoreStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What is particular to a store on PostgreSQL: migrating under an advisory lock, status, and honest refusals. */
class PostgresStoreTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Test
    void manyWorkersOpeningAFreshSchemaAtOnceMigrateExactlyOnce() throws Exception {
        int workers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> opened = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            opened.add(pool.submit(() -> {
                start.await();
                try (Cairn db = Cairn.open(SCHEMA.url())) {
                    return db.status().schemaVersion();
                }
            }));
        }
        start.countDown();
        for (Future<Integer> version : opened) {
            assertThat(version.get(2, TimeUnit.MINUTES)).isPositive();
        }
        pool.shutdown();
        try (Cairn db = Cairn.open(SCHEMA.url())) {
            StoreStatus status = db.status();
            assertThat(status.dialect()).isEqualTo("postgresql");
            assertThat(status.migrations()).allMatch(MigrationInfo::applied);
            assertThat(status.schemaVersion()).isEqualTo(status.codeSchemaVersion());
            long rows = db.session().read(c -> Sql.longValue(c, "SELECT count(*) FROM schema_migrations", -1));
            assertThat(rows).isEqualTo(status.codeSchemaVersion());
            assertThat(status.rowCounts()).containsEntry("store_identity", 1L).containsEntry("meta", 1L);
            assertThat(status.fileBytes()).isPositive();
        }
    }

    @Test
    void backupsAndFileMaintenanceSayWhatToUseInstead() {
        try (Cairn db = Cairn.open(SCHEMA.url())) {
            assertThatThrownBy(() -> db.backupTo(Path.of("x.db"))).isInstanceOf(NotSupportedException.class)
                    .hasMessageContaining("pg_dump");
            assertThatThrownBy(db::vacuum).isInstanceOf(NotSupportedException.class)
                    .hasMessageContaining("autovacuum");
            assertThatThrownBy(db::checkpoint).isInstanceOf(NotSupportedException.class);
            assertThatThrownBy(db::integrityCheck).isInstanceOf(NotSupportedException.class)
                    .hasMessageContaining("pg_amcheck");
        }
    }

    @Test
    void doctorChecksTheConnectionAndTheSchema() {
        DoctorReport fresh = Cairn.doctor(SCHEMA.url());
        assertThat(fresh.ok()).isFalse();
        assertThat(fresh.checks()).extracting(DoctorReport.Check::detail).anyMatch(d -> d.contains("cairn migrate"));
        Cairn.open(SCHEMA.url()).close();
        DoctorReport ready = Cairn.doctor(SCHEMA.url());
        assertThat(ready.checks()).extracting(DoctorReport.Check::name).containsExactly("connection", "schema");
        assertThat(ready.ok()).as(ready.toString()).isTrue();
        DoctorReport unreachable = Cairn.doctor("jdbc:postgresql://127.0.0.1:1/none?user=x&password=hunter2");
        assertThat(unreachable.ok()).isFalse();
        assertThat(unreachable.location()).doesNotContain("hunter2");
        assertThat(unreachable.checks().get(0).detail()).doesNotContain("hunter2");
    }

    @Test
    void anUnreachableServerIsOneClearError() {
        assertThatThrownBy(() -> Cairn.open("jdbc:postgresql://127.0.0.1:1/none?user=x&password=hunter2"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("cannot connect to jdbc:postgresql://127.0.0.1:1/none")
                .hasMessageNotContaining("hunter2");
    }
}
