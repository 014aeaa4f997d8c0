package io.tickwire.client;

import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Throttle;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How the server delivers the streams of a subscribe: book depth, throttle, bar periods and bar
 * price types. Each option applies only to the channels it concerns (depth to {@code book};
 * throttle to {@code quote}, {@code book} and {@code bar}, never to trades; periods and price types
 * to {@code bar}), so one options value can go with any channels.
 *
 * <pre>{@code
 * client.subscribe(List.of("BTCUSDT"), SubscribeOptions.defaults().withDepth(5).withThrottle(Duration.ofMillis(500)),
 *         Channel.BOOK, Channel.QUOTE);
 * }</pre>
 *
 * <p>Immutable and thread-safe; every {@code with…} method returns a new value and checks its
 * argument at once, so a bad option fails where it is written, not later on the wire.
 */
public final class SubscribeOptions {

    /** The book depth when none is given: 10 levels per side, as the server's default. */
    public static final int DEFAULT_DEPTH = 10;
    /** The deepest book the protocol allows; an instrument may allow less (the server refuses that symbol). */
    public static final int MAX_DEPTH = 4095;

    private static final SubscribeOptions DEFAULTS = new SubscribeOptions(DEFAULT_DEPTH, 0,
            EnumSet.of(Periodicity.M1), EnumSet.of(PriceType.LAST));

    private final int depth;
    private final long throttleMillis;
    private final Set<Periodicity> periods;
    private final Set<PriceType> priceTypes;

    private SubscribeOptions(int depth, long throttleMillis, Set<Periodicity> periods, Set<PriceType> priceTypes) {
        this.depth = depth;
        this.throttleMillis = throttleMillis;
        this.periods = Collections.unmodifiableSet(EnumSet.copyOf(periods));
        this.priceTypes = Collections.unmodifiableSet(EnumSet.copyOf(priceTypes));
    }

    /** Every update, books 10 levels deep, {@code 1m} bars of the last trade price: the server's defaults. */
    public static SubscribeOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Book levels per side, 1 to {@link #MAX_DEPTH}.
     *
     * @throws IllegalArgumentException outside that range
     */
    public SubscribeOptions withDepth(int levels) {
        if (levels < 1 || levels > MAX_DEPTH) {
            throw new IllegalArgumentException("depth must be 1 to " + MAX_DEPTH + " levels, was " + levels);
        }
        return new SubscribeOptions(levels, throttleMillis, periods, priceTypes);
    }

    /**
     * At most one message per {@code interval} for quote, book and bar streams, conflated (books
     * stay exact: the message carries the merged changes); {@link Duration#ZERO} for every update.
     *
     * @throws IllegalArgumentException unless the interval is one the server offers: 0, 50, 100,
     *                                  250, 500 ms, 1, 2, 4, 8, 16, 32 or 64 s
     */
    public SubscribeOptions withThrottle(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        long millis = interval.toMillis();
        if (interval.isNegative() || !Duration.ofMillis(millis).equals(interval) || Throttle.classOf(millis) < 0) {
            throw new IllegalArgumentException("throttle " + interval.toMillis() + " ms is not offered; one of "
                    + Throttle.offered() + " ms");
        }
        return new SubscribeOptions(depth, millis, periods, priceTypes);
    }

    /**
     * The bar periods to subscribe (default {@code 1m}).
     *
     * @throws IllegalArgumentException if none is given
     */
    public SubscribeOptions withPeriods(Periodicity... periods) {
        return new SubscribeOptions(depth, throttleMillis, nonEmpty(periods, "period"), priceTypes);
    }

    /**
     * The prices bars are built from (default {@link PriceType#LAST}).
     *
     * @throws IllegalArgumentException if none is given
     */
    public SubscribeOptions withPriceTypes(PriceType... types) {
        return new SubscribeOptions(depth, throttleMillis, periods, nonEmpty(types, "price type"));
    }

    /** Book levels per side. */
    public int depth() {
        return depth;
    }

    /** The throttle interval; zero for every update. */
    public Duration throttle() {
        return Duration.ofMillis(throttleMillis);
    }

    /** The bar periods, in their natural order; unmodifiable. */
    public Set<Periodicity> periods() {
        return periods;
    }

    /** The bar price types, in their natural order; unmodifiable. */
    public Set<PriceType> priceTypes() {
        return priceTypes;
    }

    long throttleMillis() {
        return throttleMillis;
    }

    private static <E extends Enum<E>> Set<E> nonEmpty(E[] values, String what) {
        Objects.requireNonNull(values, what);
        if (values.length == 0) {
            throw new IllegalArgumentException("at least one " + what + " is needed");
        }
        for (E value : values) {
            Objects.requireNonNull(value, what);
        }
        return EnumSet.copyOf(Arrays.asList(values));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubscribeOptions other && depth == other.depth && throttleMillis == other.throttleMillis
                && periods.equals(other.periods) && priceTypes.equals(other.priceTypes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(depth, throttleMillis, periods, priceTypes);
    }

    @Override
    public String toString() {
        return "SubscribeOptions[depth=" + depth + ", throttle=" + throttleMillis + "ms, periods=" + periods
                + ", priceTypes=" + priceTypes + "]";
    }
}
