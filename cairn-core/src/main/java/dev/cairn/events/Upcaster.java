package dev.cairn.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Rewrites a stored payload of one event type from one schema version to the next, on read. There is one upcaster per
 * schema change; a payload stored at version 1 of a type now at version 3 passes through the upcasters from 1 and
 * from 2. Stored events are never rewritten.
 */
public interface Upcaster {
    /** The event type it applies to. */
    String type();

    /** The schema version it reads; it produces {@code fromVersion() + 1}. */
    int fromVersion();

    /** The payload at {@code fromVersion() + 1}; may change and return its argument. */
    ObjectNode upcast(ObjectNode payload);

    static Upcaster of(String type, int fromVersion, UnaryOperator<ObjectNode> change) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(change, "change");
        return new Upcaster() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public int fromVersion() {
                return fromVersion;
            }

            @Override
            public ObjectNode upcast(ObjectNode payload) {
                return change.apply(payload);
            }
        };
    }
}
