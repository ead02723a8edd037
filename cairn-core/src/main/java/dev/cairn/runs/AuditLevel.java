package dev.cairn.runs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.cairn.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How much an audit entry matters, least first: a query for a level returns it and every level above. */
public enum AuditLevel {
    DEBUG("debug"),
    INFO("info"),
    WARN("warn"),
    ERROR("error");

    private final String storedName;

    AuditLevel(String storedName) {
        this.storedName = storedName;
    }

    /** The name stored in the database and in JSON; it never changes, so existing databases keep reading. */
    @JsonValue
    public String storedName() {
        return storedName;
    }

    /** The constant stored as {@code name}; an unknown name is refused with an {@link InvalidInputException}. */
    @JsonCreator
    public static AuditLevel fromStored(String name) {
        for (AuditLevel value : values()) {
            if (value.storedName.equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not an audit level; use one of "
                + Arrays.stream(values()).map(AuditLevel::storedName).collect(Collectors.joining(", ")));
    }

    /**
     * The level a person typed: any case, surrounding blanks ignored, {@code warning} for {@code warn}. Stored names
     * are read with {@link #fromStored}.
     */
    public static AuditLevel of(String typed) {
        String wanted = typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
        return fromStored(wanted.equals("warning") ? WARN.storedName : wanted);
    }

    /** The stored name, for display; persist with {@link #storedName()}. */
    @Override
    public String toString() {
        return storedName;
    }
}
