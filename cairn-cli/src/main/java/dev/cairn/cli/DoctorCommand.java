package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.maintenance.DoctorReport;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code cairn doctor}. */
@Command(name = "doctor",
        description = "Check the database: file present, schema version against this Cairn, integrity and foreign"
                + " keys, WAL mode, file permissions. Prints one line per check; exits 1 when any check finds a"
                + " problem.")
final class DoctorCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Override
    public Integer call() {
        DoctorReport report = Cairn.doctor(root.location());
        if (root.json) {
            Map<String, Object> result = JsonOutput.object();
            result.put("database", report.location());
            result.put("ok", report.ok());
            result.put("checks", report.checks().stream().map(c -> {
                Map<String, Object> check = JsonOutput.object();
                check.put("name", c.name());
                check.put("ok", c.ok());
                check.put("detail", c.detail());
                return check;
            }).toList());
            root.printJson(result);
        } else {
            Table table = Table.headless();
            for (DoctorReport.Check check : report.checks()) {
                table.row(check.ok() ? "ok" : "PROBLEM", check.name(), check.detail());
            }
            table.print(root.out());
        }
        return report.ok() ? ExitCodes.OK : ExitCodes.PROBLEMS;
    }
}
