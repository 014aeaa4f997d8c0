package io.tickwire.client;

import java.math.BigDecimal;
import java.time.Instant;

/** Turns wire values into the SDK's: times into instants, decimals to their instrument's scale. Stateless. */
final class WireValues {

    /** No known scale: keep the number as the server wrote it. */
    static final int UNKNOWN_SCALE = -1;

    private WireValues() {
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /**
     * The number at the instrument's scale. The server writes decimals without trailing zeros;
     * widening to the scale is exact. A number with more digits than the scale (a server bug) is
     * kept as written rather than rounded.
     */
    static BigDecimal scaled(BigDecimal value, int scale) {
        if (value == null || scale == UNKNOWN_SCALE || value.scale() >= scale) {
            return value;
        }
        return value.setScale(scale);
    }
}
