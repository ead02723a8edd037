package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.Cairn;
import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator commands against a store on PostgreSQL, given as a JDBC URL: each test in a schema of its own on the
 * server at 127.0.0.1:5432, skipped where no server answers (but not in CI).
 */
class PostgresCommandsTest {
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    String schema;

    @BeforeEach
    void createSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER)) {
            schema = "cairn_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA " + schema);
            }
        } catch (SQLException e) {
            if (System.getenv("CI") != null) {
                throw e;
            }
            assumeTrue(false, "skipping the PostgreSQL half: no server at " + SERVER + " (" + e.getMessage() + ")");
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            try (Connection connection = DriverManager.getConnection(SERVER);
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private String url() {
        return SERVER + "&currentSchema=" + schema;
    }

    @Test
    void migrateStatusDoctorAndEventsWorkOnAUrl() {
        Cli migrate = Cli.run("--db", url(), "migrate", "--json");
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.json().get("applied")).isNotEmpty();

        Cli status = Cli.run("--db", url(), "status", "--json");
        assertThat(status.exitCode()).as(status.err()).isZero();
        JsonNode json = status.json();
        assertThat(json.get("dialect").asText()).isEqualTo("postgresql");
        assertThat(json.get("schemaVersion").asInt()).isEqualTo(json.get("codeSchemaVersion").asInt());

        Cli doctor = Cli.run("--db", url(), "doctor", "--json");
        assertThat(doctor.exitCode()).as(doctor.out()).isZero();
        assertThat(doctor.json().get("ok").asBoolean()).isTrue();

        Cli events = Cli.run("--db", url(), "events", "--json");
        assertThat(events.exitCode()).as(events.err()).isZero();
        assertThat(events.out()).isEmpty();
    }

    /** On PostgreSQL an event's position is TRANSACTION:SEQUENCE; events prints it and --from reads it back. */
    @Test
    void eventsPrintsPositionsAndReadsOnFromOne() throws Exception {
        try (Cairn db = Cairn.open(url())) {
            for (int i = 0; i < 3; i++) {
                db.events().append("note:" + i, ExpectedVersion.noStream(), EventData.of("note.added", "{}"));
            }
        }
        Cli events = Cli.run("--db", url(), "events", "--json");
        assertThat(events.exitCode()).as(events.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : events.out().split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).hasSize(3);
        String first = lines.get(0).get("position").asText();
        assertThat(first).matches("[1-9][0-9]*:1");
        Cli rest = Cli.run("--db", url(), "events", "--from", first);
        assertThat(rest.exitCode()).as(rest.err()).isZero();
        assertThat(rest.out().lines()).hasSize(2).allMatch(line -> line.contains("note.added"))
                .noneMatch(line -> line.contains("note:0@"));
        Cli status = Cli.run("--db", url(), "projections", "status", "--json");
        assertThat(status.json().get("projectors").get(0).get("headPosition").asText())
                .isEqualTo(lines.get(2).get("position").asText());
    }

    @Test
    void fileMaintenanceIsRefusedWithWhatToUseInstead() {
        assertThat(Cli.run("--db", url(), "migrate").exitCode()).isZero();
        Cli backup = Cli.run("--db", url(), "backup", "/tmp/never-written.db");
        assertThat(backup.exitCode()).isEqualTo(2);
        assertThat(backup.err().strip()).contains("pg_dump").doesNotContain("\n");
        Cli vacuum = Cli.run("--db", url(), "vacuum");
        assertThat(vacuum.exitCode()).isEqualTo(2);
        assertThat(vacuum.err()).contains("autovacuum");
    }

    @Test
    void aPasswordInTheUrlIsNeverPrinted() {
        Cli status = Cli.run("--db", "jdbc:postgresql://127.0.0.1:1/none?user=x&password=hunter2", "status");
        assertThat(status.exitCode()).isNotZero();
        assertThat(status.err() + status.out()).doesNotContain("hunter2").contains("cannot connect");
    }
}
