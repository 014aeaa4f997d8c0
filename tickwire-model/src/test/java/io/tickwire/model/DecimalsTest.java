package io.tickwire.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DecimalsTest {

    @Test
    void formatsWithoutTrailingZerosOrExponent() {
        assertThat(Decimals.format(303401, 2)).isEqualTo("3034.01");
        assertThat(Decimals.format(303400, 2)).isEqualTo("3034");
        assertThat(Decimals.format(5, 3)).isEqualTo("0.005");
        assertThat(Decimals.format(-5, 3)).isEqualTo("-0.005");
        assertThat(Decimals.format(100_000_000, 8)).isEqualTo("1");
        assertThat(Decimals.format(0, 5)).isEqualTo("0");
        assertThat(Decimals.format(42, 0)).isEqualTo("42");
    }

    @Test
    void formatsFixedPlacesWhenAsked() {
        assertThat(Decimals.formatFixed(303400, 2)).isEqualTo("3034.00");
        assertThat(Decimals.formatFixed(5, 3)).isEqualTo("0.005");
        assertThat(Decimals.formatFixed(-5, 3)).isEqualTo("-0.005");
        assertThat(Decimals.formatFixed(0, 4)).isEqualTo("0.0000");
        assertThat(Decimals.formatFixed(42, 0)).isEqualTo("42");
    }

    @Test
    void fixedFormatAgreesWithBigDecimal() {
        forCases(5_000, c -> assertThat(Decimals.formatFixed(c.scaled(), c.scale()))
                .isEqualTo(BigDecimal.valueOf(c.scaled(), c.scale()).toPlainString()));
    }

    @Test
    void parsesExactlyAndRejectsExtraPlaces() {
        assertThat(Decimals.parse("3034.01", 2)).isEqualTo(303401);
        assertThat(Decimals.parse("3034", 2)).isEqualTo(303400);
        assertThat(Decimals.parse("-0.005", 3)).isEqualTo(-5);
        assertThat(Decimals.parse("1.2300", 2)).isEqualTo(123);
        assertThatThrownBy(() -> Decimals.parse("1.234", 2)).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Decimals.parse("1e5", 2)).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Decimals.parse("", 2)).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Decimals.parse("-", 2)).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Decimals.parse("99999999999999999999", 0)).isInstanceOf(NumberFormatException.class);
    }

    private record Case(long scaled, int scale) {
    }

    /** Seeded cases, edge values included; the seed in a failure message replays it. (The model cannot use the testkit.) */
    private static void forCases(int count, Consumer<Case> property) {
        long[] edges = {0, 1, -1, Long.MAX_VALUE, -Long.MAX_VALUE, Long.MIN_VALUE, 999_999_999_999L};
        for (int i = 0; i < count; i++) {
            SplittableRandom r = new SplittableRandom(42 + i);
            long scaled = i < edges.length ? edges[i] : r.nextInt(4) == 0 ? r.nextLong(-10_000, 10_000) : r.nextLong();
            Case c = new Case(scaled, r.nextInt(0, Decimals.MAX_SCALE + 1));
            try {
                property.accept(c);
            } catch (AssertionError e) {
                throw new AssertionError("case " + i + " (seed " + (42 + i) + "): " + c + "\n" + e.getMessage(), e);
            }
        }
    }

    @Test
    void formatAgreesWithBigDecimal() {
        forCases(5_000, c -> {
            String expected = BigDecimal.valueOf(c.scaled(), c.scale()).stripTrailingZeros().toPlainString();
            assertThat(Decimals.format(c.scaled(), c.scale())).isEqualTo(expected);
            char[] buf = new char[32];
            int len = Decimals.write(buf, 3, c.scaled(), c.scale());
            assertThat(new String(buf, 3, len)).isEqualTo(expected);
        });
    }

    @Test
    void parseInvertsFormat() {
        forCases(5_000, c -> {
            if (c.scaled() != Long.MIN_VALUE) { // its magnitude does not fit a long: parse reports it out of range
                assertThat(Decimals.parse(Decimals.format(c.scaled(), c.scale()), c.scale())).isEqualTo(c.scaled());
            }
        });
    }
}
