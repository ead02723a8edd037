package dev.cairn.maintenance;

import java.util.List;

/** What the database's integrity and foreign-key checks found; no problems means the file is sound. */
public record IntegrityReport(List<String> problems) {
    public IntegrityReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
