package dev.cairn.goals;

import dev.cairn.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The stored name of the goal store's enums is their lower-case constant name; parsing one names the valid values. */
final class StoredNames {
    private StoredNames() {}

    static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String stored) {
        for (E value : type.getEnumConstants()) {
            if (value.toString().equals(stored)) {
                return value;
            }
        }
        String kind = type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        throw new InvalidInputException("'" + stored + "' is not a " + kind + "; use one of "
                + Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", ")));
    }
}
