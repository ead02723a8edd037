package dev.cairn.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.maintenance.DoctorReport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Doctor reads meta.schema_version itself, not only the newest applied migration (the Node CLI's pitfall). */
class DoctorSchemaVersionTest {
    @TempDir
    Path dir;

    @Test
    void aCurrentStoreIsHealthy() {
        Path file = dir.resolve("ok.db");
        Cairn.open(file).close();
        DoctorReport report = Cairn.doctor(file);
        assertThat(schema(report).ok()).isTrue();
        assertThat(schema(report).detail()).contains("is current");
    }

    @Test
    void aMismatchedMetaSchemaVersionIsReported() throws SQLException {
        Path file = dir.resolve("edited.db");
        Cairn.open(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE meta SET schema_version = 1");
        }
        DoctorReport report = Cairn.doctor(file);
        assertThat(report.ok()).isFalse();
        assertThat(schema(report).ok()).isFalse();
        assertThat(schema(report).detail()).contains("meta.schema_version is 1");
    }

    private static DoctorReport.Check schema(DoctorReport report) {
        return report.checks().stream().filter(c -> c.name().equals("schema")).findFirst().orElseThrow();
    }
}
