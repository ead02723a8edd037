package dev.cairn.maintenance;

import java.util.List;

/** The findings of {@code cairn doctor}: one check per aspect of the store, each fine or a problem with advice. */
public record DoctorReport(String location, List<Check> checks) {
    /** One finding; {@code detail} says what was seen and, for a problem, what to do. */
    public record Check(String name, boolean ok, String detail) {}

    public DoctorReport {
        checks = List.copyOf(checks);
    }

    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }
}
