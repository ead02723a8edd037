package dev.cairn.goals;

import dev.cairn.InvalidInputException;

/** The outcome of one verification gate of a proof: a named command, whether it passed, and what it said. */
public record GateResult(String name, String command, boolean passed, String summary) {
    public GateResult {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("a gate needs a name");
        }
    }

    public static GateResult passed(String name, String command, String summary) {
        return new GateResult(name, command, true, summary);
    }

    public static GateResult failed(String name, String command, String summary) {
        return new GateResult(name, command, false, summary);
    }
}
