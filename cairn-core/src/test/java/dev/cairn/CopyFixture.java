package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Owner;
import dev.cairn.events.ActorKind;
import dev.cairn.events.EventData;
import dev.cairn.events.EventMetadata;
import dev.cairn.events.ExpectedVersion;
import dev.cairn.events.orchestration.Orchestration;
import dev.cairn.events.orchestration.ProjectEvent;
import dev.cairn.events.orchestration.Role;
import dev.cairn.events.orchestration.ThreadEvent;
import dev.cairn.goals.Budget;
import dev.cairn.goals.BudgetUse;
import dev.cairn.goals.ClaimResult;
import dev.cairn.goals.DecisionSpec;
import dev.cairn.goals.DeliveryPolicy;
import dev.cairn.goals.GateResult;
import dev.cairn.goals.GoalPhase;
import dev.cairn.goals.GoalSpec;
import dev.cairn.goals.GoalStore;
import dev.cairn.goals.MergePolicy;
import dev.cairn.goals.Money;
import dev.cairn.goals.ProofSpec;
import dev.cairn.goals.TaskSpec;
import dev.cairn.internal.Sql;
import dev.cairn.internal.copy.CopyTables;
import dev.cairn.runs.AuditLevel;
import dev.cairn.runs.RunScope;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A store filled through the public API with a row in (nearly) every table, and raw reads of its rows to compare. */
final class CopyFixture {
    static final String GOAL = "g-copy";

    private CopyFixture() {}

    static void fill(Cairn db) {
        for (int i = 0; i < 3; i++) {
            db.events().append("note:" + i, ExpectedVersion.any(), EventData.of("note.added", "{\"n\":" + i + "}"),
                    EventData.of("note.added", "{\"n\":" + i + ",\"text\":\"é ✓ \\\"quoted\\\"\"}"));
        }
        db.events().append("note:cmd", ExpectedVersion.noStream(), EventData.of("note.added", "{}")
                .withMetadata(EventMetadata.of(ActorKind.CLIENT).withCommandId("cmd-1").withCorrelationId("c-1")
                        .with("origin", "test")));
        db.events().deleteStream("note:1"); // sequences 3 and 4 leave a gap
        for (var event : List.of(new ProjectEvent.Created("p1", "Cairn", "/src/cairn", "gpt-5"),
                new ThreadEvent.Created("t1", "p1", "Fix the build", "gpt-5", "main", "/wt/t1"),
                new ThreadEvent.MessageSent("t1", "m1", "u1", Role.USER, "Why is CI red?", false),
                new ThreadEvent.TurnStartRequested("t1", "u1", "m1"),
                new ThreadEvent.ApprovalRequested("t1", "a1", "u1", "command", "mvn verify"))) {
            db.events().append(event.streamId(), ExpectedVersion.any(), Orchestration.data(event));
        }
        db.events().append("note:last", ExpectedVersion.any(), EventData.of("note.added", "{\"last\":true}"));
        db.events().deleteStream("note:last"); // the head is past the last stored event

        try (RunScope run = db.runs().begin(List.of("plan", "--goal", "ship"), Map.of("model", "m1"), "0123abcd")) {
            run.step("plan", step -> {
                step.stat("tasks", 3);
                return "planned";
            });
            run.audit(AuditLevel.WARN, "note", "a warning", Map.of("k", "v"));
        }
        try (RunScope durable = db.runs().beginOrResume("copy-job", List.of("ask"), Map.of())) {
            durable.step("ask", String.class, step -> step.call("model", Map.of("prompt", "hi"), String.class,
                    () -> "hello"));
        }
        db.runs().audit(AuditLevel.INFO, "cli", "copy.test", "no run", null);

        GoalStore goals = db.goals();
        goals.create(GoalSpec.of(GOAL, "Copy a store", "/srv/cairn").withKind("feature")
                .withPolicies(DeliveryPolicy.DRAFT_PR, MergePolicy.GATED).withExecution(true, false, 2)
                .withBudget(new Budget(3600L, 2_000_000L, Money.ofDollars("25.00"))));
        goals.updatePhase(GOAL, GoalPhase.PLANNING);
        goals.decisions().append(GOAL, new DecisionSpec("planner", GoalPhase.PLANNING, "scope", "copy row by row",
                "exact values", List.of("one transaction"), List.of("docs/plan.md")));
        goals.artifacts().register(GOAL, "plan", "docs/plan.md", "text/markdown", 2_310L, null);
        goals.artifacts().register(GOAL, "log", "logs/a.log", null, null, "ab".repeat(32));
        goals.budgets().append(GOAL, new BudgetUse("after-planning", 240, 180_000, Money.ofDollars("2.405")));
        goals.tasks().createBatch(GOAL, List.of(TaskSpec.of(GOAL, "schema", "Add columns")
                        .withSets(List.of("src/db"), List.of("src/db/migrations")),
                TaskSpec.of(GOAL, "code", "Write it").withDependsOn("schema")));
        goals.tasks().claimTask(GOAL, "worker-1", Duration.ofMinutes(5)).orElseThrow();
        ClaimResult first = goals.leases().tryClaim(GOAL, "schema", new Owner("host-a:42:1", "host-a", 42), "worker",
                List.of("src/db"));
        goals.leases().release(((ClaimResult.Claimed) first).lease());
        goals.leases().tryClaim(GOAL, "schema", new Owner("host-b:43:1", "host-b", 43), "worker", List.of("src/db"));
        goals.claimController(GOAL, new Owner("host-c:44:1", "host-c", 44)).orElseThrow();
        goals.proofs().upsert(GOAL, new ProofSpec("passed", "ready", "proven", List.of(GateResult.passed("build",
                "mvn verify", "ok")), List.of("A.java"), List.of("4f1c2ab"), true, List.of(), List.of(), null));
    }

    /** Every row of every copied table, in primary-key order, each as column name to value. */
    static Map<String, List<Map<String, Object>>> rows(String sqliteFile) throws SQLException {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile);
                Statement statement = connection.createStatement()) {
            for (CopyTables.Table table : CopyTables.TABLES) {
                List<Map<String, Object>> rows = new ArrayList<>();
                try (ResultSet result = statement.executeQuery(
                        "SELECT * FROM " + table.name() + " ORDER BY " + table.orderBy())) {
                    ResultSetMetaData meta = result.getMetaData();
                    while (result.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object value = result.getObject(i);
                            // A uuid's 16 bytes compare by content only as a UUID.
                            row.put(meta.getColumnName(i), value instanceof byte[] ? Sql.uuid(result, i) : value);
                        }
                        rows.add(row);
                    }
                }
                tables.put(table.name(), rows);
            }
        }
        return tables;
    }

    /** Asserts that the fill reached every table but the few that its events do not feed. */
    static void assertFilled(Map<String, List<Map<String, Object>>> rows) {
        for (Map.Entry<String, List<Map<String, Object>>> table : rows.entrySet()) {
            if (!List.of("projection_checkpoints", "projection_settings").contains(table.getKey())) {
                assertThat(table.getValue()).as(table.getKey()).isNotEmpty();
            }
        }
    }
}
