package io.tickwire.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
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

    @Property
    void formatAgreesWithBigDecimal(@ForAll long scaled, @ForAll @IntRange(min = 0, max = 12) int scale) {
        String expected = BigDecimal.valueOf(scaled, scale).stripTrailingZeros().toPlainString();
        assertThat(Decimals.format(scaled, scale)).isEqualTo(expected);
        char[] buf = new char[32];
        int len = Decimals.write(buf, 3, scaled, scale);
        assertThat(new String(buf, 3, len)).isEqualTo(expected);
    }

    @Property
    void parseInvertsFormat(@ForAll @LongRange(min = -Long.MAX_VALUE, max = Long.MAX_VALUE) long scaled, @ForAll @IntRange(min = 0, max = 12) int scale) {
        assertThat(Decimals.parse(Decimals.format(scaled, scale), scale)).isEqualTo(scaled);
    }
}
