package io.tickwire.feeds.catalog;

import io.tickwire.model.Instrument;
import java.util.Objects;

/**
 * How one instrument behaves in simulation: where its price starts, how much it moves, how wide
 * it is quoted, how large its trades are and how busy it is relative to the others.
 *
 * <p>Immutable; prices and sizes are scaled {@code long}s in the instrument's own scales.
 *
 * @param instrument       the instrument, with its id in the catalogue this profile belongs to
 * @param initialPrice     the starting mid price (scaled by {@code priceScale}), at least 100 ticks
 * @param annualVolatility annualized volatility as a fraction over the asset class's trading year, e.g. 0.5
 * @param spreadTicks      the typical bid/ask spread in ticks (one tick is one unit of the last price decimal)
 * @param tradeSize        the typical trade size (scaled by {@code sizeScale}), positive
 * @param activityWeight   relative share of the total event rate while the instrument's market is open
 */
public record InstrumentProfile(
        Instrument instrument,
        long initialPrice,
        double annualVolatility,
        int spreadTicks,
        long tradeSize,
        double activityWeight) {

    /** The fewest ticks a starting price may have, so a random walk on the tick grid stays smooth. */
    public static final long MIN_INITIAL_TICKS = 100;

    public InstrumentProfile {
        Objects.requireNonNull(instrument, "instrument");
        String symbol = instrument.symbol();
        if (initialPrice < MIN_INITIAL_TICKS) {
            throw new IllegalArgumentException("initial price of " + symbol + " must be at least "
                    + MIN_INITIAL_TICKS + " ticks, was " + initialPrice);
        }
        if (!(annualVolatility >= 0 && annualVolatility <= 5)) {
            throw new IllegalArgumentException("annual volatility of " + symbol + " must be between 0 and 5, was "
                    + annualVolatility);
        }
        if (spreadTicks < 1 || spreadTicks > 10_000) {
            throw new IllegalArgumentException("spread of " + symbol + " must be 1..10000 ticks, was " + spreadTicks);
        }
        if (tradeSize <= 0) {
            throw new IllegalArgumentException("trade size of " + symbol + " must be positive, was " + tradeSize);
        }
        if (!(activityWeight > 0 && activityWeight <= 1_000_000)) {
            throw new IllegalArgumentException("activity weight of " + symbol + " must be in (0, 1000000], was "
                    + activityWeight);
        }
    }

    /** The same profile for the instrument renumbered with another catalogue id. */
    InstrumentProfile withId(int id) {
        return new InstrumentProfile(instrument.withId(id), initialPrice, annualVolatility, spreadTicks, tradeSize,
                activityWeight);
    }
}
