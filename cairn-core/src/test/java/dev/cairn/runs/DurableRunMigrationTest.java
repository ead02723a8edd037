package dev.cairn.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Backends;
import dev.cairn.Cairn;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger written at schema 11 keeps reading after migration 0012: its runs have no key and no goal, its steps one
 * attempt and no result, and an unfinished run resumes as it did (steps appended), beside new durable runs.
 */
class DurableRunMigrationTest {
    @TempDir
    Path dir;

    String location() {
        return dir.resolve("old.db").toString();
    }

    @Test
    void runsRecordedBeforeDurableRunsReadAndResumeAsBefore() throws Exception {
        Backends.migrateTo(location(), 11);
        try (Connection c = Backends.connect(location()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO runs (run_id, created_at, args_json, config_json, config_hash) VALUES ('old-run', 1, "
                    + "'[]', '{}', '" + "0".repeat(64) + "')");
            s.execute("INSERT INTO run_steps (step_id, run_id, seq, name, started_at, finished_at, status, stats_json) "
                    + "VALUES ('old-step', 'old-run', 1, 'plan', 1, 2, 'success', '{}')");
        }
        try (Cairn db = Cairn.open(location())) {
            Run old = db.runs().get("old-run");
            assertThat(old.key()).isEmpty();
            assertThat(old.goalId()).isEmpty();
            Step step = db.runs().steps("old-run").get(0);
            assertThat(step.result()).isEmpty();
            assertThat(step.exceptionClass()).isEmpty();
            assertThat(step.attempts()).isEqualTo(1);
            try (RunScope resumed = db.runs().resume("old-run")) {
                resumed.step("plan", step2 -> null); // appended: a run without a key does not replay
            }
            assertThat(db.runs().steps("old-run")).extracting(Step::position).containsExactly(1, 2);
            try (RunScope durable = db.runs().beginOrResume("new-job", List.of(), null)) {
                durable.step("plan", Integer.class, s -> 1);
            }
            assertThat(db.runs().steps(db.runs().recent(1).get(0).id()).get(0).result()).isPresent();
        }
    }
}
