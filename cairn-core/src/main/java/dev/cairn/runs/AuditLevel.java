package dev.cairn.runs;

import dev.cairn.InvalidInputException;
import java.util.Locale;

/** How much an audit entry matters, least first: a query for a level returns it and every level above. */
public enum AuditLevel {
    DEBUG,
    INFO,
    WARN,
    ERROR;

    /** The stored and printed name: {@code debug}, {@code info}, {@code warn}, {@code error}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level of a name in any case ({@code warning} is accepted for {@code warn}). */
    public static AuditLevel of(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (wanted.equals("warning")) {
            return WARN;
        }
        for (AuditLevel level : values()) {
            if (level.toString().equals(wanted)) {
                return level;
            }
        }
        throw new InvalidInputException("unknown audit level '" + name + "': expected debug, info, warn or error");
    }
}
