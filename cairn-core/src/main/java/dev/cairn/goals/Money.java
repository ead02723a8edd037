package dev.cairn.goals;

import dev.cairn.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of US dollars as whole cents, never negative. Decimal input is rounded to the nearest cent with
 * {@link RoundingMode#HALF_UP} (0.005 is one cent, 19.999 is 20.00): never truncated, which would under-count every
 * budget it is compared with.
 */
public record Money(long cents) implements Comparable<Money> {
    public static final Money ZERO = new Money(0);

    public Money {
        if (cents < 0) {
            throw new InvalidInputException("an amount of money cannot be negative, was " + cents + " cents");
        }
    }

    public static Money ofCents(long cents) {
        return new Money(cents);
    }

    /** Dollars as a decimal, rounded half up to the cent; negative amounts are refused. */
    public static Money ofDollars(BigDecimal dollars) {
        if (dollars == null) {
            throw new InvalidInputException("an amount of dollars is required");
        }
        if (dollars.signum() < 0) {
            throw new InvalidInputException("an amount of money cannot be negative, was $" + dollars.toPlainString());
        }
        BigDecimal cents = dollars.movePointRight(2).setScale(0, RoundingMode.HALF_UP);
        try {
            return new Money(cents.longValueExact());
        } catch (ArithmeticException e) {
            throw new InvalidInputException("$" + dollars.toPlainString() + " is too large to store in cents");
        }
    }

    /** Dollars written as a decimal such as {@code "19.99"} or {@code "$19.99"}. */
    public static Money ofDollars(String dollars) {
        if (dollars == null) {
            throw new InvalidInputException("an amount of dollars is required");
        }
        String text = dollars.strip();
        if (text.startsWith("$")) {
            text = text.substring(1);
        }
        try {
            return ofDollars(new BigDecimal(text));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("'" + dollars + "' is not an amount of dollars; write it like 19.99");
        }
    }

    public Money plus(Money other) {
        return new Money(Math.addExact(cents, other.cents));
    }

    /** What is left of this after spending {@code spent}; zero when overspent. */
    public Money minusOrZero(Money spent) {
        return new Money(Math.max(0, cents - spent.cents));
    }

    public BigDecimal dollars() {
        return BigDecimal.valueOf(cents, 2);
    }

    @Override
    public int compareTo(Money other) {
        return Long.compare(cents, other.cents);
    }

    @Override
    public String toString() {
        return "$" + dollars().toPlainString();
    }
}
