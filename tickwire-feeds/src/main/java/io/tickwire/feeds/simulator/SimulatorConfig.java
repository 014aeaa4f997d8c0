package io.tickwire.feeds.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulator behaves. Immutable; the compact constructor rejects nonsense with a message
 * naming the field and the accepted range.
 *
 * @param seed                  seeds the simulator's randomness; the same seed and times give the same events
 * @param eventsPerSecond       the runner's total event rate across all instruments, 0 (paused) to
 *                              {@link #MAX_EVENTS_PER_SECOND}
 * @param respectMarketHours    if true, FX and equities emit only while their market is open (New York
 *                              calendar, holidays ignored); if false every instrument trades around the clock
 * @param meanTimeBetweenBursts the mean event time between two activity bursts (an instrument trading
 *                              5-20 times as often for 2-30 s); {@link Duration#ZERO} turns bursts off
 * @param bookEvents            if true the simulator publishes its books' level changes
 *                              ({@link io.tickwire.model.BookUpdate}, the first of each instrument a full
 *                              picture) and trades, and the engine derives quotes from the books; if
 *                              false it publishes top-of-book quotes and trades
 */
public record SimulatorConfig(
        long seed,
        double eventsPerSecond,
        boolean respectMarketHours,
        Duration meanTimeBetweenBursts,
        boolean bookEvents) {

    /** The highest event rate the runner accepts. */
    public static final double MAX_EVENTS_PER_SECOND = 10_000_000;

    public SimulatorConfig {
        checkRate(eventsPerSecond);
        Objects.requireNonNull(meanTimeBetweenBursts, "meanTimeBetweenBursts");
        if (meanTimeBetweenBursts.isNegative()) {
            throw new IllegalArgumentException("meanTimeBetweenBursts must not be negative, was " + meanTimeBetweenBursts);
        }
        if (!meanTimeBetweenBursts.isZero() && meanTimeBetweenBursts.toMillis() < 1) {
            throw new IllegalArgumentException("meanTimeBetweenBursts must be zero (no bursts) or at least 1 ms, was "
                    + meanTimeBetweenBursts);
        }
    }

    /** The original four settings, publishing top-of-book quotes. */
    public SimulatorConfig(long seed, double eventsPerSecond, boolean respectMarketHours, Duration meanTimeBetweenBursts) {
        this(seed, eventsPerSecond, respectMarketHours, meanTimeBetweenBursts, false);
    }

    /** Seed 42, 2,000 events per second, market hours respected, a burst every 20 s on average, quotes. */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig(42, 2_000, true, Duration.ofSeconds(20), false);
    }

    public SimulatorConfig withSeed(long newSeed) {
        return new SimulatorConfig(newSeed, eventsPerSecond, respectMarketHours, meanTimeBetweenBursts, bookEvents);
    }

    public SimulatorConfig withEventsPerSecond(double newRate) {
        return new SimulatorConfig(seed, newRate, respectMarketHours, meanTimeBetweenBursts, bookEvents);
    }

    public SimulatorConfig withRespectMarketHours(boolean respect) {
        return new SimulatorConfig(seed, eventsPerSecond, respect, meanTimeBetweenBursts, bookEvents);
    }

    public SimulatorConfig withMeanTimeBetweenBursts(Duration mean) {
        return new SimulatorConfig(seed, eventsPerSecond, respectMarketHours, mean, bookEvents);
    }

    /** This configuration publishing book changes (true) or top-of-book quotes (false). */
    public SimulatorConfig withBookEvents(boolean books) {
        return new SimulatorConfig(seed, eventsPerSecond, respectMarketHours, meanTimeBetweenBursts, books);
    }

    /** Throws unless {@code eventsPerSecond} is a finite rate between 0 and {@link #MAX_EVENTS_PER_SECOND}. */
    static void checkRate(double eventsPerSecond) {
        if (!(eventsPerSecond >= 0 && eventsPerSecond <= MAX_EVENTS_PER_SECOND)) {
            throw new IllegalArgumentException("eventsPerSecond must be between 0 and "
                    + (long) MAX_EVENTS_PER_SECOND + " (0 = paused), was " + eventsPerSecond);
        }
    }
}
