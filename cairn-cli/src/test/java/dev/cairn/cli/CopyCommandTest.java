package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.Cairn;
import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyCommandTest {
    @TempDir
    Path dir;

    @Test
    void copyPrintsOneLineOrJsonAndRefusesADestinationWithData() {
        Path from = dir.resolve("from.db");
        try (Cairn db = Cairn.open(from)) {
            db.events().append("note:1", ExpectedVersion.any(), EventData.of("note.added", "{}"),
                    EventData.of("note.added", "{}"));
        }
        Path text = dir.resolve("text.db");
        Cli copied = Cli.run("copy", "--from", from.toString(), "--to", text.toString());
        assertThat(copied.exitCode()).as(copied.err()).isZero();
        assertThat(copied.out().strip()).startsWith("copied " + from + " to " + text + ": ").contains(" tables, ")
                .endsWith(" s").doesNotContain("\n");

        Cli json = Cli.run("copy", "--from", from.toString(), "--to", dir.resolve("json.db").toString(), "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode result = json.json();
        assertThat(result.get("from").asText()).isEqualTo(from.toString());
        assertThat(result.get("to").asText()).isEqualTo(dir.resolve("json.db").toString());
        assertThat(result.get("schemaVersion").asInt()).isPositive();
        assertThat(result.get("rowsPerTable").get("events").asLong()).isEqualTo(2);
        assertThat(result.get("tables").asInt()).isEqualTo(result.get("rowsPerTable").size());
        assertThat(result.get("rows").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(result.get("millis").isNumber()).isTrue();

        Cli again = Cli.run("copy", "--from", from.toString(), "--to", text.toString());
        assertThat(again.exitCode()).isEqualTo(4);
        assertThat(again.err().strip()).contains("already holds Cairn data").doesNotContain("\n");

        Cli missing = Cli.run("copy", "--from", dir.resolve("absent.db").toString(), "--to",
                dir.resolve("x.db").toString());
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(dir.resolve("x.db")).doesNotExist();
        assertThat(Cli.run("copy", "--from", from.toString()).exitCode()).isEqualTo(2);
    }
}
