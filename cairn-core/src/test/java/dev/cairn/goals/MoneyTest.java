package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.InvalidInputException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {
    @Test
    void dollarsRoundHalfUpToTheCentNeverTruncate() {
        assertThat(Money.ofDollars("0.005").cents()).isEqualTo(1);
        assertThat(Money.ofDollars("0.004").cents()).isZero();
        assertThat(Money.ofDollars("19.999").cents()).isEqualTo(2000);
        assertThat(Money.ofDollars("19.99").cents()).isEqualTo(1999);
        assertThat(Money.ofDollars("$2.675").cents()).isEqualTo(268);
        assertThat(Money.ofDollars(new BigDecimal("0.015")).cents()).isEqualTo(2);
        assertThat(Money.ofDollars("12").cents()).isEqualTo(1200);
        assertThat(Money.ofDollars("0").cents()).isZero();
        assertThat(Money.ofCents(1999).toString()).isEqualTo("$19.99");
    }

    @Test
    void negativeAndMalformedAmountsAreRefused() {
        assertThatThrownBy(() -> Money.ofDollars("-0.01")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> Money.ofCents(-1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Money.ofDollars("ten")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("19.99");
        assertThatThrownBy(() -> Money.ofDollars("1e30")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void remainingNeverGoesBelowZero() {
        assertThat(Money.ofCents(100).minusOrZero(Money.ofCents(30))).isEqualTo(Money.ofCents(70));
        assertThat(Money.ofCents(100).minusOrZero(Money.ofCents(300))).isEqualTo(Money.ZERO);
    }
}
