package dev.cairn.events.orchestration;

import dev.cairn.InvalidInputException;
import java.util.Arrays;

/** Finds the constant of a catalogue enum by its stored name, which each enum's {@code toString()} returns. */
final class StoredNames {
    private StoredNames() {}

    static <E extends Enum<E>> E lookup(E[] values, String name, String what) {
        for (E value : values) {
            if (value.toString().equals(name)) {
                return value;
            }
        }
        throw new InvalidInputException("'" + name + "' is not a " + what + "; use one of " + Arrays.toString(values));
    }
}
