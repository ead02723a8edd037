package dev.cairn.goals;

import dev.cairn.InvalidInputException;

/**
 * What a goal may spend: wall-clock seconds, model tokens and money. A null limit means no limit of that kind.
 *
 * @param timeSeconds seconds of wall-clock time, or null
 * @param tokens model tokens, or null
 * @param money dollars as cents, or null
 */
public record Budget(Long timeSeconds, Long tokens, Money money) {
    public static final Budget UNLIMITED = new Budget(null, null, null);

    public Budget {
        if (timeSeconds != null && timeSeconds < 0) {
            throw new InvalidInputException("a time budget cannot be negative, was " + timeSeconds + " s");
        }
        if (tokens != null && tokens < 0) {
            throw new InvalidInputException("a token budget cannot be negative, was " + tokens);
        }
    }

    public Budget withTimeSeconds(Long timeSeconds) {
        return new Budget(timeSeconds, tokens, money);
    }

    public Budget withTokens(Long tokens) {
        return new Budget(timeSeconds, tokens, money);
    }

    public Budget withMoney(Money money) {
        return new Budget(timeSeconds, tokens, money);
    }
}
