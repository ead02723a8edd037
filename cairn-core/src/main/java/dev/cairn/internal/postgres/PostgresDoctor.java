package dev.cairn.internal.postgres;

import dev.cairn.internal.migration.MigrationSet;
import dev.cairn.internal.migration.SchemaCheck;
import dev.cairn.maintenance.DoctorReport;
import dev.cairn.maintenance.DoctorReport.Check;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Examines a store on PostgreSQL without changing it: can it be reached, and is its schema the one this code knows. */
public final class PostgresDoctor {
    private PostgresDoctor() {}

    public static DoctorReport examine(String url, MigrationSet migrations) {
        String location = PostgresEngine.redact(url);
        List<Check> checks = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url)) {
            connection.setReadOnly(true);
            checks.add(new Check("connection", true, "connected to " + location + " ("
                    + connection.getMetaData().getDatabaseProductVersion() + ")"));
            if (!PostgresDialect.INSTANCE.tableExists(connection, "meta")) {
                checks.add(new Check("schema", false, "not initialized yet: no Cairn tables in this schema of "
                        + location + "; run 'cairn migrate' to create them"));
            } else {
                checks.add(SchemaCheck.check(connection, migrations, PostgresDialect.INSTANCE));
            }
        } catch (SQLException e) {
            checks.add(new Check("connection", false, "cannot connect to " + location + ": " + e.getMessage()
                    + ". Check that the server is running and the URL, user and database are right"));
        }
        return new DoctorReport(location, checks);
    }
}
