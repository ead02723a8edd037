package dev.cairn.bench;

import dev.cairn.Cairn;
import dev.cairn.imports.omk.OmkGoalReport;
import dev.cairn.imports.omk.OmkImportOptions;
import dev.cairn.imports.omk.OmkImportReport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * Imports an omk state directory into a store inside whatever heap the JVM was given, and prints one line: goals
 * imported, events imported, seconds, the JVM's maximum heap and the peak heap used (bytes).
 */
public final class SmallHeapImport {
    private SmallHeapImport() {}

    public static void main(String[] args) {
        long started = System.nanoTime();
        OmkImportReport report;
        try (Cairn db = Cairn.open(args[0])) {
            report = db.importOmk(OmkImportOptions.of(Path.of(args[1])));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!report.complete()) {
            report.goals().stream().filter(g -> !g.problems().isEmpty()).limit(5)
                    .forEach(g -> System.out.println(g.goalId() + ": " + g.problems()));
            System.exit(1);
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println(report.count(OmkGoalReport.Outcome.IMPORTED) + " " + report.eventsImported() + " "
                + seconds + " " + Runtime.getRuntime().maxMemory() + " " + peak);
    }
}
